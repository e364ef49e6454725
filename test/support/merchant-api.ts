import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { http, type JsonResponse } from '../../scripts/stack/http';
import {
  createPayment,
  swipe,
  waitForFinalPatch,
  type CreatedPayment,
  type DemoMerchant,
} from '../../scripts/stack/scenario';
import type { Stack } from '../../scripts/stack/stack';

export interface ApiError {
  code: string;
  message: string;
  correlationId: string;
  details?: Record<string, unknown>;
}

export interface PaymentBody {
  id: string;
  status: string;
  amount: number;
  orderId: string;
  mobilePayPaymentId: string;
  authorizedAmount: number;
  capturedAmount: number;
  refundedAmount: number;
  cancelledAmount: number;
  attempts: { id: string; status: string; maskedCardNumber: string | null }[];
  operations: { id: string; kind: string; amount: number; status: string }[];
}

/** Calls the gateway's merchant API with a merchant's key (and an Idempotency-Key on POST). */
export function api<T = unknown>(
  stack: Stack,
  key: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T> & { replayed?: boolean }> {
  const withKey = method === 'POST' ? { 'idempotency-key': randomUUID(), ...headers } : headers;
  return http<T>(method, `${stack.urls.gateway}${path}`, body, {
    authorization: `Bearer ${key}`,
    ...withKey,
  });
}

/** Raw fetch for the response headers (Idempotent-Replayed). */
export async function post(
  stack: Stack,
  key: string,
  path: string,
  body: unknown,
  idempotencyKey: string,
): Promise<{ status: number; body: Record<string, unknown>; replayed: boolean }> {
  const response = await fetch(`${stack.urls.gateway}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      'idempotency-key': idempotencyKey,
    },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    replayed: response.headers.get('idempotent-replayed') === 'true',
  };
}

export async function getPayment(
  stack: Stack,
  merchant: DemoMerchant,
  id: string,
): Promise<PaymentBody> {
  const response = await api<PaymentBody>(stack, merchant.apiKey, 'GET', `/v1/payments/${id}`);
  if (response.status !== 200) throw new Error(`GET payment: ${response.status}`);
  return response.body;
}

/** A payment the shopper approved and MobilePay accepted: AUTHORIZED on our side. */
export async function authorizedPayment(
  stack: Stack,
  merchant: DemoMerchant,
  amount = 10_000,
): Promise<CreatedPayment & { attemptId: string }> {
  // Visa goes to the REST acquirer, which does captures, cancels and refunds.
  const payment = await createPayment(stack, merchant, {
    amount,
    allowedCardTypes: ['VISA-CREDIT'],
  });
  const swiped = await swipe(stack, payment.mobilePayPaymentId, {
    cardNumber: '4111111111111111',
    cardType: 'VISA-CREDIT',
  });
  const attempt = await waitForFinalPatch(
    stack,
    payment.mobilePayPaymentId,
    swiped.authorizationAttemptId,
  );
  if (!attempt.final?.succeeded) throw new Error('payment was not authorized');
  const deadline = Date.now() + 15_000;
  while ((await getPayment(stack, merchant, payment.id)).status !== 'AUTHORIZED') {
    if (Date.now() > deadline) throw new Error('payment never became AUTHORIZED');
    await sleep(50);
  }
  return { ...payment, attemptId: swiped.authorizationAttemptId };
}
