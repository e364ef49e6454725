import { Injectable } from '@nestjs/common';
import { ReasonCode, type AttemptStatus } from '@app/domain';
import type { SealedBlob } from '@app/crypto';
import { PrismaService } from '../prisma.service';
import { appendPatchEvent } from './payment-events';
import type {
  AuthorizationAttempt,
  CardDataKind,
  Merchant,
  Payment,
} from '../generated/prisma/client';
import { enqueueAttemptPatch, transitionAttempt, type AttemptPatch } from './attempt-transitions';

export { failurePatch, type AttemptPatch } from './attempt-transitions';

export interface ReceivedAttempt {
  id: string;
  paymentId: string;
  cardType: string;
  kind: CardDataKind;
  maskedCardNumber: string | null;
  tokenMethod: string | null;
  cardIssuedInCountryCode: string | null;
  callbackReceivedAt: Date;
  deadlineAt: Date;
}

export interface AcquirerOutcome {
  status: Extract<AttemptStatus, 'AUTHORIZED' | 'DECLINED'>;
  acquirer: string;
  acquirerMerchantId: string;
  acquirerVatNumber: string;
  acquirerReference: string | null;
  /** Approved only: our reference of the authorization (attempt id, or `<id>.3ds` after 3DS). */
  authorizationReference: string | null;
  reasonCode: number | null;
  reasonMessage: string | null;
  authorizedAmount: bigint;
}

export type AttemptWithPayment = AuthorizationAttempt & {
  payment: Payment & { merchant: Merchant };
};

/**
 * `claimed`: this worker may call the acquirer. `sibling-in-flight`: another attempt of the same
 * payment is being authorized (try later). `sibling-authorized`: the payment already has an
 * authorization, so this attempt must not get a second one.
 */
export type ClaimResult = 'claimed' | 'not-claimable' | 'sibling-in-flight' | 'sibling-authorized';

/** PATCH reason codes that keep the attempt open (the 3-D Secure steps). */
const INTERIM_REASON_CODES: ReadonlySet<number> = new Set([
  ReasonCode.ThreeDSecureRequired,
  ReasonCode.ThreeDSecureCompleted,
]);

@Injectable()
export class AttemptRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Records an attempt that failed its checks at intake (expired card, bad card number, stale
   * payload) as declined, with the failure PATCH queued in the outbox. No card data is kept.
   */
  async recordRejectedAtIntake(
    attempt: ReceivedAttempt,
    patch: AttemptPatch,
  ): Promise<{ created: boolean; outboxId: string | undefined }> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.authorizationAttempt.createMany({
        data: [
          {
            ...attempt,
            status: 'DECLINED',
            reasonCode: patch.body.reasonCode ?? null,
            reasonMessage: patch.body.reasonMessage ?? null,
          },
        ],
        skipDuplicates: true,
      });
      // An attempt that exists already has its own life (maybe being authorized): no second PATCH.
      if (count === 0) return { created: false, outboxId: undefined };
      await tx.attemptStatusChange.create({
        data: { attemptId: attempt.id, toStatus: 'DECLINED', detail: patch.body.reasonMessage },
      });
      return { created: true, outboxId: await enqueueAttemptPatch(tx, attempt.paymentId, patch) };
    });
  }

  findWithPayment(id: string): Promise<AttemptWithPayment | null> {
    return this.prisma.authorizationAttempt.findUnique({
      where: { id },
      include: { payment: { include: { merchant: true } } },
    });
  }

  async findSealed(attemptId: string): Promise<SealedBlob | null> {
    const row = await this.prisma.sealedCardData.findUnique({ where: { attemptId } });
    if (!row) return null;
    return {
      sealKeyId: row.sealKeyId,
      iv: Buffer.from(row.iv),
      ciphertext: Buffer.from(row.ciphertext),
      authTag: Buffer.from(row.authTag),
    };
  }

  /**
   * → AUTHORIZING, atomically, and only when no other attempt of the same payment is being
   * authorized or already holds an authorization: the payment row is locked for the check, so
   * two attempts (a late one and a new one, or two workers) can never both reach the acquirer.
   */
  async claimForAuthorization(id: string): Promise<ClaimResult> {
    return this.prisma.$transaction(async (tx) => {
      const attempt = await tx.authorizationAttempt.findUnique({
        where: { id },
        select: { paymentId: true },
      });
      if (!attempt) return 'not-claimable';
      await tx.$queryRaw`SELECT id FROM "Payment" WHERE id = ${attempt.paymentId}::uuid FOR UPDATE`;
      const siblings = await tx.authorizationAttempt.findMany({
        where: {
          paymentId: attempt.paymentId,
          id: { not: id },
          status: { in: ['AUTHORIZING', 'AUTHORIZED', 'SUCCEEDED'] },
        },
        select: { status: true },
      });
      if (siblings.some((s) => s.status !== 'AUTHORIZING')) return 'sibling-authorized';
      if (siblings.length > 0) return 'sibling-in-flight';
      const moved = await transitionAttempt(tx, id, 'AUTHORIZING', {}, 'claimed by worker', [
        'RECEIVED',
        'THREE_DS_AUTHENTICATED',
      ]);
      return moved ? 'claimed' : 'not-claimable';
    });
  }

  /**
   * Records the acquirer's answer, drops the sealed card data and queues the PATCH, atomically.
   * Returns the outbox id, or undefined when the attempt was no longer AUTHORIZING.
   */
  async recordAcquirerOutcome(
    attempt: AttemptWithPayment,
    outcome: AcquirerOutcome,
    patch: AttemptPatch,
  ): Promise<string | undefined> {
    return this.prisma.$transaction(async (tx) => {
      const moved = await transitionAttempt(
        tx,
        attempt.id,
        outcome.status,
        {
          acquirer: outcome.acquirer,
          acquirerMerchantId: outcome.acquirerMerchantId,
          acquirerVatNumber: outcome.acquirerVatNumber,
          acquirerReference: outcome.acquirerReference,
          authorizationReference:
            outcome.status === 'AUTHORIZED' ? outcome.authorizationReference : null,
          reasonCode: outcome.reasonCode,
          reasonMessage: outcome.reasonMessage,
          authorizedAt: outcome.status === 'AUTHORIZED' ? new Date() : null,
        },
        outcome.reasonMessage ?? 'approved',
        ['AUTHORIZING'],
      );
      if (!moved) return undefined;
      if (outcome.status === 'AUTHORIZED') {
        await tx.payment.update({
          where: { id: attempt.paymentId },
          data: { authorizedAmount: outcome.authorizedAmount },
        });
      }
      await tx.sealedCardData.deleteMany({ where: { attemptId: attempt.id } });
      return enqueueAttemptPatch(tx, attempt.paymentId, patch);
    });
  }

  /**
   * Fails an attempt no worker holds (not yet started, or waiting in 3-D Secure): declined, card
   * data gone, failure PATCH queued. Never from AUTHORIZING: an approval may be in flight there.
   */
  async failUnstarted(
    attempt: Pick<AuthorizationAttempt, 'id' | 'paymentId'>,
    patch: AttemptPatch,
    from: readonly AttemptStatus[] = ['RECEIVED'],
  ): Promise<string | undefined> {
    return this.prisma.$transaction(async (tx) => {
      const moved = await transitionAttempt(
        tx,
        attempt.id,
        'DECLINED',
        {
          reasonCode: patch.body.reasonCode ?? null,
          reasonMessage: patch.body.reasonMessage ?? null,
        },
        patch.body.reasonMessage ?? 'refused before authorization',
        from,
      );
      if (!moved) return undefined;
      await tx.sealedCardData.deleteMany({ where: { attemptId: attempt.id } });
      return enqueueAttemptPatch(tx, attempt.paymentId, patch);
    });
  }

  /**
   * MobilePay accepted a PATCH. A final one closes the attempt (SUCCEEDED or FAILED); an interim
   * 3-D Secure one (1008, 1009) only marks the report sent.
   */
  async markPatched(outboxId: string, patch: AttemptPatch): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.outboxMessage.update({
        where: { id: outboxId },
        data: { status: 'SENT', sentAt: new Date(), tries: { increment: 1 } },
      });
      // The merchant's webhook event (authorized / failed / three_ds_required), once per outcome.
      await appendPatchEvent(tx, patch.attemptId, patch);
      if (patch.body.reasonCode !== undefined && INTERIM_REASON_CODES.has(patch.body.reasonCode))
        return;
      const succeeded = patch.body.succeeded;
      const to: AttemptStatus = succeeded ? 'SUCCEEDED' : 'FAILED';
      const moved = await transitionAttempt(
        tx,
        patch.attemptId,
        to,
        { patchedAt: new Date() },
        'patched',
      );
      if (!moved) return;
      await tx.sealedCardData.deleteMany({ where: { attemptId: patch.attemptId } });
      const attempt = await tx.authorizationAttempt.findUniqueOrThrow({
        where: { id: patch.attemptId },
      });
      if (succeeded) {
        await tx.payment.update({
          where: { id: attempt.paymentId },
          data: { status: 'AUTHORIZED' },
        });
      }
    });
  }

  /**
   * MobilePay refused a PATCH for good. A refused success means MobilePay failed the attempt (e.g.
   * after its deadline) while we hold an authorization: it must be reversed.
   */
  async markPatchRefused(outboxId: string, patch: AttemptPatch, error: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.outboxMessage.update({
        where: { id: outboxId },
        data: { status: 'DEAD', tries: { increment: 1 }, lastError: error.slice(0, 500) },
      });
      if (patch.body.reasonCode !== undefined && INTERIM_REASON_CODES.has(patch.body.reasonCode))
        return;
      const detail = `MobilePay refused the PATCH: ${error}`.slice(0, 500);
      const data = patch.body.succeeded
        ? { reversalRequiredAt: new Date(), patchedAt: new Date() }
        : {};
      await transitionAttempt(tx, patch.attemptId, 'FAILED', data, detail);
      if (patch.body.succeeded) {
        const attempt = await tx.authorizationAttempt.findUniqueOrThrow({
          where: { id: patch.attemptId },
        });
        await tx.payment.update({
          where: { id: attempt.paymentId },
          data: { authorizedAmount: 0n },
        });
      }
    });
  }

  /**
   * Something may stand at the acquirer that must not (a late approval, an unanswered request):
   * the attempt needs a reversal, even if an earlier one already ran and found nothing.
   */
  /** Flags an attempt whose acquirer outcome cannot be learned: an operator settles it there. */
  async requireReconciliation(attemptId: string, note: string): Promise<void> {
    await this.prisma.authorizationAttempt.update({
      where: { id: attemptId },
      data: { reconciliationRequiredAt: new Date(), reconciliationNote: note.slice(0, 500) },
    });
  }

  /** `acquirerReference`: the acquirer's id of the authorization to reverse, when the attempt lacks it. */
  async requireReversal(attemptId: string, acquirerReference?: string): Promise<void> {
    await this.prisma.authorizationAttempt.update({
      where: { id: attemptId },
      data: {
        reversalRequiredAt: new Date(),
        reversedAt: null,
        ...(acquirerReference ? { acquirerReference } : {}),
      },
    });
  }

  /**
   * Records the reversal of the requirement the reversal started from. False when a newer
   * requirement came in meanwhile: that one still needs its own run.
   */
  async markReversed(attemptId: string, requiredAt: Date): Promise<boolean> {
    const { count } = await this.prisma.authorizationAttempt.updateMany({
      where: { id: attemptId, reversalRequiredAt: requiredAt, reversedAt: null },
      data: { reversedAt: new Date() },
    });
    return count > 0;
  }

  /** Whether the attempt came back from a passed 3-D Secure challenge (a re-authorization). */
  async passedThreeDs(attemptId: string): Promise<boolean> {
    const change = await this.prisma.attemptStatusChange.findFirst({
      where: { attemptId, toStatus: 'THREE_DS_AUTHENTICATED' },
      select: { id: true },
    });
    return change !== null;
  }

  findReversalsDue(limit: number) {
    return this.prisma.authorizationAttempt.findMany({
      where: { reversalRequiredAt: { not: null }, reversedAt: null },
      select: { id: true },
      take: limit,
    });
  }

  /**
   * Open attempts acked longer ago than `olderThan`: their jobs may have been lost (Redis
   * restarted, a worker died mid-job), so the janitor makes sure each has its jobs.
   */
  findOpen(olderThan: Date, limit: number) {
    return this.prisma.authorizationAttempt.findMany({
      where: {
        status: { in: ['RECEIVED', 'AUTHORIZING', 'THREE_DS_PENDING', 'THREE_DS_AUTHENTICATED'] },
        callbackReceivedAt: { lt: olderThan },
      },
      select: { id: true, status: true, deadlineAt: true },
      orderBy: { deadlineAt: 'asc' },
      take: limit,
    });
  }

  /** Open attempts past their deadline: the watchdog must have been lost; resolve them now. */
  findOverdue(now: Date, limit: number) {
    return this.prisma.authorizationAttempt.findMany({
      where: {
        status: { in: ['AUTHORIZING', 'THREE_DS_PENDING', 'THREE_DS_AUTHENTICATED'] },
        deadlineAt: { lt: now },
      },
      select: { id: true },
      take: limit,
    });
  }

  countUnresolved(now: Date): Promise<number> {
    return this.prisma.authorizationAttempt.count({
      where: {
        OR: [
          {
            status: {
              in: ['RECEIVED', 'AUTHORIZING', 'THREE_DS_PENDING', 'THREE_DS_AUTHENTICATED'],
            },
            deadlineAt: { lt: now },
          },
          { reversalRequiredAt: { not: null }, reversedAt: null },
        ],
      },
    });
  }
}
