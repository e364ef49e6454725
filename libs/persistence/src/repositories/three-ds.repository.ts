import { Injectable } from '@nestjs/common';
import type { SealedBlob } from '@app/crypto';
import { PrismaService } from '../prisma.service';
import { enqueueAttemptPatch, transitionAttempt, type AttemptPatch } from './attempt-transitions';
import type { AttemptWithPayment } from './attempt.repository';

/** The 3-D Secure fallback's steps on one attempt, each atomic with the PATCH it owes MobilePay. */
@Injectable()
export class ThreeDsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Soft decline: AUTHORIZING → THREE_DS_PENDING, PATCH 1008 (with the challenge URL) queued, the
   * deadline moved to the end of the challenge window. Card data stays sealed for the retry.
   */
  async requireChallenge(
    attempt: AttemptWithPayment,
    patch: AttemptPatch,
    deadlineAt: Date,
  ): Promise<string | undefined> {
    return this.prisma.$transaction(async (tx) => {
      const moved = await transitionAttempt(
        tx,
        attempt.id,
        'THREE_DS_PENDING',
        {
          deadlineAt,
          // The acquirer that soft-declined: later PATCHes of this attempt name it too.
          acquirerVatNumber: patch.body.acquirerVatNumber ?? null,
          acquirerMerchantId: patch.body.acquirerMerchantId ?? null,
          reasonCode: patch.body.reasonCode ?? null,
          reasonMessage: patch.body.reasonMessage ?? null,
        },
        'soft decline: 3-D Secure challenge required',
        ['AUTHORIZING'],
      );
      if (!moved) return undefined;
      // The merchant hears of it (payment.three_ds_required) once MobilePay has the 1008.
      return enqueueAttemptPatch(tx, attempt.paymentId, patch);
    });
  }

  /**
   * Challenge passed: the card data is resealed together with the 3DS result, PATCH 1009 queued,
   * and the deadline restarted for the re-authorization.
   */
  async recordAuthenticated(
    attempt: AttemptWithPayment,
    sealed: SealedBlob,
    patch: AttemptPatch,
    deadlineAt: Date,
  ): Promise<string | undefined> {
    return this.prisma.$transaction(async (tx) => {
      const moved = await transitionAttempt(
        tx,
        attempt.id,
        'THREE_DS_AUTHENTICATED',
        { deadlineAt },
        'challenge passed',
        ['THREE_DS_PENDING'],
      );
      if (!moved) return undefined;
      await tx.sealedCardData.update({
        where: { attemptId: attempt.id },
        data: {
          sealKeyId: sealed.sealKeyId,
          iv: new Uint8Array(sealed.iv),
          ciphertext: new Uint8Array(sealed.ciphertext),
          authTag: new Uint8Array(sealed.authTag),
        },
      });
      return enqueueAttemptPatch(tx, attempt.paymentId, patch);
    });
  }
}
