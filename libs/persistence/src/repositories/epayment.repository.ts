import { Injectable } from '@nestjs/common';
import type { SealedBlob } from '@app/crypto';
import { ReasonCode } from '@app/domain';
import { PrismaService } from '../prisma.service';
import type { Merchant, Payment } from '../generated/prisma/client';
import type { ReceivedAttempt } from './attempt.repository';
import { enqueueAttemptPatch, transitionAttempt, type AttemptPatch } from './attempt-transitions';

export type EpaymentCallbackPayment = Payment & { merchant: Merchant };

/** What the synchronous card callback answers from. */
export interface EpaymentAttemptView {
  id: string;
  paymentId: string;
  status: string;
  acquirerReference: string | null;
  authorizationReference: string | null;
  reasonCode: number | null;
  reasonMessage: string | null;
  softDeclineCompletedRedirectUrl: string | null;
  externalAttemptId: string | null;
}

/** The ePayment channel's reads and writes around the card callback and the merchant's MSN. */
@Injectable()
export class EpaymentRepository {
  constructor(private readonly prisma: PrismaService) {}

  findPaymentByPspReference(pspReference: string): Promise<EpaymentCallbackPayment | null> {
    return this.prisma.payment.findFirst({
      where: { pspReferenceId: pspReference, channel: 'EPAYMENT' },
      include: { merchant: true },
    });
  }

  findPaymentByReference(reference: string): Promise<EpaymentCallbackPayment | null> {
    return this.prisma.payment.findUnique({
      where: { epaymentReference: reference },
      include: { merchant: true },
    });
  }

  findAttempt(id: string): Promise<EpaymentAttemptView | null> {
    return this.prisma.authorizationAttempt.findUnique({
      where: { id },
      select: {
        id: true,
        paymentId: true,
        status: true,
        acquirerReference: true,
        authorizationReference: true,
        reasonCode: true,
        reasonMessage: true,
        softDeclineCompletedRedirectUrl: true,
        externalAttemptId: true,
      },
    });
  }

  /** Attempt, sealed card data and first history row in one transaction; false if it exists. */
  async recordReceived(
    attempt: ReceivedAttempt & {
      externalAttemptId: string;
      softDeclineCompletedRedirectUrl: string | null;
    },
    sealed: SealedBlob,
  ): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.authorizationAttempt.createMany({
        data: [{ ...attempt, status: 'RECEIVED' }],
        skipDuplicates: true,
      });
      if (count === 0) return false;
      await tx.sealedCardData.create({ data: { attemptId: attempt.id, ...bytes(sealed) } });
      await tx.attemptStatusChange.create({
        data: { attemptId: attempt.id, toStatus: 'RECEIVED', detail: 'card callback received' },
      });
      return true;
    });
  }

  /**
   * The second callback after 3-D Secure: the fresh card data (new cryptogram, with the sealed
   * 3DS result inside) replaces the old one. Only while the attempt waits for it.
   */
  async replaceSealed(attemptId: string, sealed: SealedBlob): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const attempt = await tx.authorizationAttempt.findUnique({
        where: { id: attemptId },
        select: { status: true },
      });
      if (attempt?.status !== 'THREE_DS_AUTHENTICATED') return false;
      await tx.sealedCardData.upsert({
        where: { attemptId },
        create: { attemptId, ...bytes(sealed) },
        update: { ...bytes(sealed), createdAt: new Date() },
      });
      return true;
    });
  }

  /**
   * The answer budget ran out: an attempt not yet decided is failed now (3000, timeout). If an
   * acquirer request may be in flight, the authorization it may produce must be reversed.
   * Returns the outbox id of the failure and whether a reversal is needed; undefined when the
   * attempt was decided meanwhile.
   */
  async closeAtBudget(
    attempt: { id: string; paymentId: string },
    patch: AttemptPatch,
  ): Promise<{ outboxId: string; reversal: boolean } | undefined> {
    return this.prisma.$transaction(async (tx) => {
      const current = await tx.authorizationAttempt.findUnique({
        where: { id: attempt.id },
        select: { status: true },
      });
      const reversal = current?.status === 'AUTHORIZING';
      const moved = await transitionAttempt(
        tx,
        attempt.id,
        'DECLINED',
        {
          reasonCode: ReasonCode.Timeout,
          reasonMessage: patch.body.reasonMessage ?? 'no outcome within the answer budget',
          ...(reversal ? { reversalRequiredAt: new Date(), reversedAt: null } : {}),
        },
        'card callback answer budget exhausted',
        ['RECEIVED', 'AUTHORIZING', 'THREE_DS_AUTHENTICATED'],
      );
      if (!moved) return undefined;
      await tx.sealedCardData.deleteMany({ where: { attemptId: attempt.id } });
      return { outboxId: await enqueueAttemptPatch(tx, attempt.paymentId, patch), reversal };
    });
  }

  async setMerchantEpayment(
    merchantId: string,
    msn: string | null,
    channel: 'ONLINE' | 'EPAYMENT',
  ): Promise<Merchant | 'msn-taken'> {
    try {
      return await this.prisma.merchant.update({
        where: { id: merchantId },
        data: { epaymentMsn: msn, paymentChannel: channel },
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') return 'msn-taken';
      throw error;
    }
  }

  markCreated(paymentId: string, redirectUrl: string | null): Promise<Payment> {
    return this.prisma.payment.update({
      where: { id: paymentId },
      data: { status: 'INITIATED', redirectToMobilePayUrl: redirectUrl },
    });
  }

  /** Payments the polling backstop looks at: open ones, or authorized ones with open amounts. */
  findOpenForPolling(limit: number) {
    return this.prisma.payment.findMany({
      where: { channel: 'EPAYMENT', status: { in: ['INITIATED'] } },
      select: { id: true, epaymentReference: true, epaymentMsn: true, status: true },
      orderBy: { createdAt: 'asc' },
      take: limit,
    });
  }
}

function bytes(sealed: SealedBlob) {
  return {
    sealKeyId: sealed.sealKeyId,
    iv: new Uint8Array(sealed.iv),
    ciphertext: new Uint8Array(sealed.ciphertext),
    authTag: new Uint8Array(sealed.authTag),
  };
}
