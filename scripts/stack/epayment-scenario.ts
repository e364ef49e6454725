import { randomInt } from 'node:crypto';
import { http } from './http';
import { onboardMerchant, type DemoMerchant } from './scenario';
import type { Stack } from './stack';

export interface EpaymentMerchant extends DemoMerchant {
  msn: string;
}

/** Onboards a merchant, gives it an MSN and puts it on the ePayment channel. */
export async function onboardEpaymentMerchant(
  stack: Stack,
  acquirerRoutes?: Record<string, string>,
): Promise<EpaymentMerchant> {
  const merchant = await onboardMerchant(stack);
  if (acquirerRoutes) {
    const routed = await http(
      'PATCH',
      `${stack.urls.gateway}/v1/admin/merchants/${merchant.id}/routing`,
      { acquirerRoutes },
      { authorization: `Bearer ${stack.adminKey}` },
    );
    if (routed.status !== 200) throw new Error(`routing refused: ${routed.status}`);
  }
  const msn = String(randomInt(100_000, 999_999));
  const response = await http(
    'PATCH',
    `${stack.urls.gateway}/v1/admin/merchants/${merchant.id}/epayment`,
    { merchantSerialNumber: msn, paymentChannel: 'EPAYMENT' },
    { authorization: `Bearer ${stack.adminKey}` },
  );
  if (response.status !== 200)
    throw new Error(
      `ePayment identity refused: ${response.status} ${JSON.stringify(response.body)}`,
    );
  return { ...merchant, msn };
}

export interface EpaymentPayment {
  id: string;
  status: string;
  channel: string;
  userFlow: string | null;
  redirectToMobilePayUrl: string | null;
}

export async function createEpaymentPayment(
  stack: Stack,
  merchant: DemoMerchant,
  fields: Record<string, unknown> = {},
): Promise<EpaymentPayment> {
  const orderId = `ep-${randomInt(1e9)}`;
  const response = await http<EpaymentPayment>(
    'POST',
    `${stack.urls.gateway}/v1/payments`,
    {
      amount: 49_900,
      currency: 'DKK',
      orderId,
      redirectFromMobilePayUrl: 'https://shop.example.dk/done',
      ...fields,
    },
    { authorization: `Bearer ${merchant.apiKey}`, 'idempotency-key': `create-${orderId}` },
  );
  if (response.status !== 201)
    throw new Error(`payment refused: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export interface CallbackResult {
  attemptId: string;
  httpStatus: number | null;
  answer?: {
    status: string;
    networkTransactionReference?: string;
    errorCode?: number;
    softDeclineUrl?: string;
  };
  error?: string;
  state: string;
  elapsedMs: number;
}

/** The simulated user picks a card in the app: Vipps MobilePay calls our card callback and waits. */
export async function approveEpayment(
  stack: Stack,
  reference: string,
  card: Record<string, unknown> = {},
): Promise<CallbackResult> {
  const response = await http<CallbackResult>(
    'POST',
    `${stack.urls.sandbox}/sandbox/epayment/v1/payments/${reference}/approve`,
    card,
  );
  if (response.status !== 200)
    throw new Error(`approve refused: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export interface SimPaymentView {
  state: string;
  authorized: number;
  captured: number;
  cancelled: number;
  refunded: number;
  events: { name: string; amount: { value: number }; idempotencyKey?: string | null }[];
}

export async function epaymentSimView(stack: Stack, reference: string): Promise<SimPaymentView> {
  return (
    await http<SimPaymentView>(
      'GET',
      `${stack.urls.sandbox}/sandbox/epayment/v1/payments/${reference}`,
    )
  ).body;
}
