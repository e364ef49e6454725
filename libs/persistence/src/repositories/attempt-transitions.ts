import { randomUUID } from 'node:crypto';
import { predecessorsOf, type AttemptStatus } from '@app/domain';
import type { Prisma } from '../generated/prisma/client';

export type Tx = Prisma.TransactionClient;

/** The body of MobilePay's PATCH, kept in the outbox until MobilePay has accepted it. */
export interface AttemptPatch {
  /**
   * Null for an ePayment attempt: its outcome is the synchronous answer to the card callback,
   * so "delivering" it only records it (and wakes the waiting callback).
   */
  mobilePayPaymentId: string | null;
  attemptId: string;
  body: {
    succeeded: boolean;
    reasonCode?: number;
    reasonMessage?: string;
    acquirerVatNumber?: string;
    acquirerMerchantId?: string;
    acquirerPaymentReference?: string;
    threeDSecureUrl?: string;
  };
}

/**
 * Moves an attempt to `to` from the status it has now, if the state machine (and `onlyFrom`)
 * allow it, with a history row. Conditional on the status just read, so of two concurrent
 * transitions only one can win. Returns false when the move was not allowed or lost the race.
 */
export async function transitionAttempt(
  tx: Tx,
  id: string,
  to: AttemptStatus,
  data: Prisma.AuthorizationAttemptUpdateManyMutationInput,
  detail: string,
  onlyFrom: readonly AttemptStatus[] = predecessorsOf(to),
): Promise<boolean> {
  const current = await tx.authorizationAttempt.findUnique({
    where: { id },
    select: { status: true },
  });
  if (
    !current ||
    !onlyFrom.includes(current.status) ||
    !predecessorsOf(to).includes(current.status)
  ) {
    return false;
  }
  const { count } = await tx.authorizationAttempt.updateMany({
    where: { id, status: current.status },
    data: { ...data, status: to },
  });
  if (count === 0) return false;
  await tx.attemptStatusChange.create({
    data: { attemptId: id, fromStatus: current.status, toStatus: to, detail },
  });
  return true;
}

/** Queues a PATCH in the outbox; the same PATCH (attempt + outcome) is never queued twice. */
export async function enqueueAttemptPatch(
  tx: Tx,
  paymentId: string,
  patch: AttemptPatch,
): Promise<string> {
  const dedupeKey = `patch:${patch.attemptId}:${patch.body.succeeded ? 'succeeded' : patch.body.reasonCode}`;
  const row = await tx.outboxMessage.upsert({
    where: { dedupeKey },
    create: {
      id: randomUUID(),
      kind: 'PATCH_AUTHORIZATION_ATTEMPT',
      dedupeKey,
      paymentId,
      attemptId: patch.attemptId,
      payload: patch as unknown as Prisma.InputJsonValue,
    },
    update: {},
    select: { id: true },
  });
  return row.id;
}

/**
 * A failure PATCH (or the interim 1008/1009) with the acquirer fields MobilePay asks for on every
 * code of the 1000 range. One builder for the worker, the 3-D Secure page and invalidation.
 */
export function failurePatch(
  attempt: { id: string; mobilePayPaymentId: string | null; acquirerMerchantId: string },
  acquirerVatNumber: string,
  reasonCode: number,
  reasonMessage: string,
  threeDSecureUrl?: string,
): AttemptPatch {
  return {
    mobilePayPaymentId: attempt.mobilePayPaymentId,
    attemptId: attempt.id,
    body: {
      succeeded: false,
      reasonCode,
      reasonMessage,
      ...(threeDSecureUrl ? { threeDSecureUrl } : {}),
      acquirerVatNumber,
      acquirerMerchantId: attempt.acquirerMerchantId,
      acquirerPaymentReference: attempt.id,
    },
  };
}
