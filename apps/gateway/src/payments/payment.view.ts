import { z } from 'zod';
import type { AuthorizationAttempt, Payment, PaymentOperation } from '@app/persistence';

export const attemptViewSchema = z.object({
  id: z.uuid(),
  status: z.string(),
  cardType: z.string(),
  /** First 6 and last 4 digits only. */
  maskedCardNumber: z.string().nullable(),
  reasonCode: z.number().int().nullable(),
  reasonMessage: z.string().nullable(),
  receivedAt: z.iso.datetime(),
  patchedAt: z.iso.datetime().nullable(),
});

export const operationViewSchema = z.object({
  id: z.uuid(),
  paymentId: z.uuid(),
  kind: z.enum(['capture', 'cancel', 'refund']),
  /** Minor units. */
  amount: z.number().int(),
  /** pending: the acquirer's answer is not known yet (the amount stays reserved). */
  status: z.enum(['pending', 'succeeded', 'failed']),
  failureReason: z.string().nullable(),
  createdAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
});

export const paymentViewSchema = z.object({
  id: z.uuid(),
  /** `online`: MobilePay Online; `epayment`: the Vipps MobilePay ePayment API (CARD_PASSTHROUGH). */
  channel: z.enum(['online', 'epayment']),
  status: z.enum([
    'CREATED',
    'INITIATED',
    'AUTHORIZED',
    'FAILED',
    'EXPIRED',
    'CANCELLED',
    'INVALIDATED',
  ]),
  /** Minor units (495 = 4,95), like every amount here. */
  amount: z.number().int(),
  currency: z.string(),
  orderId: z.string(),
  allowedCardTypes: z.array(z.string()),
  mobilePayPaymentId: z.uuid().nullable(),
  redirectToMobilePayUrl: z.string().nullable(),
  redirectToMobilePayAppUrl: z.string().nullable(),
  /** ePayment: WEB_REDIRECT, NATIVE_REDIRECT, PUSH_MESSAGE or QR (null online). */
  userFlow: z.string().nullable(),
  authorizedAmount: z.number().int(),
  /** Includes captures still waiting for the acquirer (see operations). */
  capturedAmount: z.number().int(),
  refundedAmount: z.number().int(),
  cancelledAmount: z.number().int(),
  expiresAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  /** Checkout options and, once MobilePay sent them, the shopper's addresses. */
  checkout: z.record(z.string(), z.unknown()).nullable(),
  attempts: z.array(attemptViewSchema),
  operations: z.array(operationViewSchema),
});

export const paymentListSchema = z.object({
  data: z.array(paymentViewSchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
  hasMore: z.boolean(),
});

export type AttemptView = z.infer<typeof attemptViewSchema>;
export type OperationView = z.infer<typeof operationViewSchema>;
export type PaymentView = z.infer<typeof paymentViewSchema>;
export type PaymentListView = z.infer<typeof paymentListSchema>;

export function toOperationView(operation: PaymentOperation): OperationView {
  return {
    id: operation.id,
    paymentId: operation.paymentId,
    kind: operation.kind.toLowerCase() as OperationView['kind'],
    amount: Number(operation.amount),
    status: operation.status.toLowerCase() as OperationView['status'],
    failureReason: operation.failureReason,
    createdAt: operation.createdAt.toISOString(),
    completedAt: operation.completedAt?.toISOString() ?? null,
  };
}

export function toPaymentView(
  payment: Payment & { attempts?: AuthorizationAttempt[]; operations?: PaymentOperation[] },
): PaymentView {
  return {
    id: payment.id,
    channel: payment.channel === 'EPAYMENT' ? 'epayment' : 'online',
    status: payment.status,
    amount: Number(payment.amount),
    currency: payment.currency,
    orderId: payment.merchantOrderId,
    allowedCardTypes: payment.allowedCardTypes,
    mobilePayPaymentId: payment.mobilePayPaymentId,
    redirectToMobilePayUrl: payment.redirectToMobilePayUrl,
    redirectToMobilePayAppUrl: payment.redirectToMobilePayAppUrl,
    userFlow: payment.userFlow,
    authorizedAmount: Number(payment.authorizedAmount),
    capturedAmount: Number(payment.capturedAmount),
    refundedAmount: Number(payment.refundedAmount),
    cancelledAmount: Number(payment.cancelledAmount),
    expiresAt: payment.expiresAt.toISOString(),
    createdAt: payment.createdAt.toISOString(),
    checkout: payment.checkoutOptions
      ? { ...(payment.checkoutOptions as object), details: payment.checkoutDetails }
      : null,
    attempts: (payment.attempts ?? []).map((attempt) => ({
      id: attempt.id,
      status: attempt.status,
      cardType: attempt.cardType,
      maskedCardNumber: attempt.maskedCardNumber,
      reasonCode: attempt.reasonCode,
      reasonMessage: attempt.reasonMessage,
      receivedAt: attempt.callbackReceivedAt.toISOString(),
      patchedAt: attempt.patchedAt?.toISOString() ?? null,
    })),
    operations: (payment.operations ?? []).map(toOperationView),
  };
}
