import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Stack } from './stack';
import { http } from './http';

/** A merchant onboarded through the gateway's admin API, with its API key. */
export interface DemoMerchant {
  id: string;
  apiKey: string;
}

export async function onboardMerchant(
  stack: Stack,
  externalId = `shop-${randomUUID().slice(0, 8)}`,
): Promise<DemoMerchant> {
  const response = await http<{ merchant: { id: string }; apiKey: string }>(
    'POST',
    `${stack.urls.gateway}/v1/admin/merchants`,
    {
      externalId,
      name: 'Gedekid og Smoothies ApS',
      displayName: 'Gedekid og Smoothies',
      merchantUrl: 'https://shop.example.dk',
      // A real 250×250 PNG on loopback: the gateway fetches and checks it (MERCHANT_LOGO_CHECK).
      logoUrl: `${stack.urls.logo}/logo-250.png`,
      merchantCategoryCode: 5499,
      billingCurrency: 'DKK',
      countryCode: 'DK',
      vatNumber: 'DK11102248',
      acquirerMerchantId: `acq-${externalId.slice(-10)}`,
    },
    // Keyed, as a back office retrying after a lost answer would: the key is replayed, sealed.
    { authorization: `Bearer ${stack.adminKey}`, 'idempotency-key': `onboard-${externalId}` },
  );
  if (response.status !== 201)
    throw new Error(`onboarding failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { id: response.body.merchant.id, apiKey: response.body.apiKey };
}

export interface CreatedPayment {
  id: string;
  mobilePayPaymentId: string;
  status: string;
  redirectToMobilePayUrl: string;
}

export async function createPayment(
  stack: Stack,
  merchant: DemoMerchant,
  overrides: Record<string, unknown> = {},
): Promise<CreatedPayment> {
  const response = await http<CreatedPayment>(
    'POST',
    `${stack.urls.gateway}/v1/payments`,
    {
      amount: 12_995,
      currency: 'DKK',
      orderId: `order-${randomUUID().slice(0, 8)}`,
      redirectFromMobilePayUrl: 'https://shop.example.dk/return',
      ...overrides,
    },
    { authorization: `Bearer ${merchant.apiKey}`, 'idempotency-key': randomUUID() },
  );
  if (response.status !== 201)
    throw new Error(`create payment failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export interface SandboxAttempt {
  authorizationAttemptId: string;
  cardType: string;
  callbackStatus: string;
  patches: {
    at: string;
    body: {
      succeeded: boolean;
      reasonCode?: number;
      reasonMessage?: string;
      threeDSecureUrl?: string;
    };
  }[];
  final: { succeeded: boolean; reasonCode?: number } | null;
  late: boolean;
}

export interface SandboxPaymentView {
  payment: { status: string; amount: number; authorizedAmount: number };
  attempts: SandboxAttempt[];
  events: { at: string; direction: string; method: string; path: string; status: number }[];
}

export async function sandboxView(
  stack: Stack,
  mobilePayPaymentId: string,
): Promise<SandboxPaymentView> {
  const response = await http<SandboxPaymentView>(
    'GET',
    `${stack.urls.sandbox}/sandbox/v1/payments/${mobilePayPaymentId}`,
  );
  if (response.status !== 200) throw new Error(`sandbox inspection failed: ${response.status}`);
  return response.body;
}

/** Waits until the sandbox's record of the attempt satisfies `done`. */
export async function waitForAttempt(
  stack: Stack,
  mobilePayPaymentId: string,
  attemptId: string,
  done: (attempt: SandboxAttempt) => boolean,
  timeoutMs = 20_000,
): Promise<SandboxAttempt> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await sandboxView(stack, mobilePayPaymentId);
    const attempt = view.attempts.find((a) => a.authorizationAttemptId === attemptId);
    if (attempt && done(attempt)) return attempt;
    if (Date.now() > deadline) {
      throw new Error(`attempt ${attemptId} not as expected within ${timeoutMs} ms`);
    }
    await sleep(50);
  }
}

/** Waits until the sandbox recorded a final PATCH for the attempt. */
export function waitForFinalPatch(
  stack: Stack,
  mobilePayPaymentId: string,
  attemptId: string,
  timeoutMs = 20_000,
): Promise<SandboxAttempt> {
  return waitForAttempt(stack, mobilePayPaymentId, attemptId, (a) => a.final !== null, timeoutMs);
}

export interface SwipeResult {
  authorizationAttemptId: string;
  callbackStatus: string;
}

/** The regression tester's user simulation: enter phone number, pick the first eligible card, swipe. */
export async function swipe(
  stack: Stack,
  mobilePayPaymentId: string,
  card?: { cardNumber: string; cardType?: string; tokenize?: boolean },
): Promise<SwipeResult> {
  const response = card
    ? await http<SwipeResult>(
        'POST',
        `${stack.urls.sandbox}/sandbox/v1/payments/${mobilePayPaymentId}/swipe`,
        card,
      )
    : await http<SwipeResult>(
        'POST',
        `${stack.urls.sandbox}/api/v1/product/payments/simulation/enter-phone-and-swipe/${mobilePayPaymentId}`,
        { phoneNumber: '+4512345678' },
      );
  if (response.status !== 200)
    throw new Error(`swipe failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}
