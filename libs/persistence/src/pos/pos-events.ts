import { randomUUID } from 'node:crypto';
import type { PosPayment, Prisma } from '../generated/prisma/client';

/**
 * Appends an in-store event inside the caller's transaction; a repeated dedupe key is a no-op. It
 * lands in the events table both channels share, so the webhook dispatcher delivers it like any other.
 */
export async function appendPosEvent(
  tx: Prisma.TransactionClient,
  payment: Pick<PosPayment, 'id' | 'merchantId'>,
  type: string,
  dedupeKey: string,
  data: Prisma.InputJsonValue,
): Promise<void> {
  await tx.paymentEvent.createMany({
    data: [
      {
        id: randomUUID(),
        posPaymentId: payment.id,
        merchantId: payment.merchantId,
        type,
        dedupeKey,
        data,
      },
    ],
    skipDuplicates: true,
  });
}

/** The payload of every payment event: where it stands, in minor units. */
export function paymentEventData(payment: PosPayment): Prisma.InputJsonValue {
  return {
    posPaymentId: payment.id,
    pointOfSaleId: payment.pointOfSaleId,
    orderId: payment.orderId,
    status: payment.status,
    amount: payment.amount === null ? null : Number(payment.amount),
    currency: payment.currency,
    capturedAmount: Number(payment.capturedAmount),
    refundedAmount: Number(payment.refundedAmount),
  };
}
