import { randomUUID } from 'node:crypto';
import type { Payment, PaymentEvent, Prisma } from '../generated/prisma/client';
import type { AttemptPatch } from './attempt.repository';

/**
 * Appends a merchant-facing event inside the caller's transaction. Returns false when an event
 * with this dedupe key exists already (a redelivered callback): callers then skip their update.
 */
export async function appendEvent(
  tx: Prisma.TransactionClient,
  payment: Pick<Payment, 'id' | 'merchantId'>,
  type: string,
  dedupeKey: string,
  data: Prisma.InputJsonValue,
): Promise<boolean> {
  const { count } = await tx.paymentEvent.createMany({
    data: [
      {
        id: randomUUID(),
        paymentId: payment.id,
        merchantId: payment.merchantId,
        type,
        dedupeKey,
        data,
      },
    ],
    skipDuplicates: true,
  });
  return count > 0;
}

/** MobilePay's 3-D Secure steps: the attempt is not over while the shopper is challenged. */
const THREE_DS_REQUIRED = 1008;
const THREE_DS_COMPLETED = 1009;

/**
 * The merchant event for a PATCH MobilePay accepted: payment.authorized, payment.failed or
 * payment.three_ds_required. Once per attempt and outcome, however often the PATCH is re-sent.
 */
export async function appendPatchEvent(
  tx: Prisma.TransactionClient,
  attemptId: string,
  patch: AttemptPatch,
): Promise<void> {
  const { body } = patch;
  if (!body.succeeded && body.reasonCode === THREE_DS_COMPLETED) return;
  const type = body.succeeded
    ? 'payment.authorized'
    : body.reasonCode === THREE_DS_REQUIRED
      ? 'payment.three_ds_required'
      : 'payment.failed';
  const attempt = await tx.authorizationAttempt.findUnique({
    where: { id: attemptId },
    include: { payment: true },
  });
  if (!attempt) return;
  await appendEvent(tx, attempt.payment, type, `${type}:${attemptId}`, {
    attemptId,
    cardType: attempt.cardType,
    maskedCardNumber: attempt.maskedCardNumber,
    amount: Number(attempt.payment.amount),
    currency: attempt.payment.currency,
    ...(body.succeeded
      ? {}
      : { reasonCode: body.reasonCode ?? null, reasonMessage: body.reasonMessage ?? null }),
  });
}

/** Which channel an event belongs to, and what it is about there. */
export interface EventSubject {
  /** `online`: a payment under /v1/payments; `in_store`: under /v1/pos/payments or …/points-of-sale. */
  channel: 'online' | 'in_store';
  /** The payment (online or in store); null for a point of sale's event. */
  paymentId: string | null;
  /** The point of sale of an in-store check-in notification; null otherwise. */
  pointOfSaleId: string | null;
}

export function eventSubject(
  event: Pick<PaymentEvent, 'paymentId' | 'posPaymentId' | 'pointOfSaleId'>,
): EventSubject {
  if (event.paymentId !== null) {
    return { channel: 'online', paymentId: event.paymentId, pointOfSaleId: null };
  }
  if (event.posPaymentId !== null) {
    return { channel: 'in_store', paymentId: event.posPaymentId, pointOfSaleId: null };
  }
  if (event.pointOfSaleId !== null) {
    return { channel: 'in_store', paymentId: null, pointOfSaleId: event.pointOfSaleId };
  }
  // The table's CHECK constraint makes this unreachable.
  throw new Error('event without a subject');
}
