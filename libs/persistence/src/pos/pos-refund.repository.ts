import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import type { PosRefund, PosRefundStatus, PosSettlement, Prisma } from '../generated/prisma/client';
import { recordIdempotentResource } from '../repositories/idempotency.repository';
import { appendPosEvent } from './pos-events';

export interface NewPosRefund {
  id: string;
  merchantId: string;
  posPaymentId: string;
  refundOrderId: string;
  amount: bigint;
  currency: string;
  idempotencyKey: string;
  autoCapture: boolean;
}

const POLLED: PosRefundStatus[] = ['INITIATED'];
/**
 * Polled: an initiated refund, or a reservation nobody captured or cancelled yet — looked at once
 * more when MobilePay should have captured it itself (ExpiredAndCaptured, after 24 hours).
 */
const POLLABLE: Prisma.PosRefundWhereInput = {
  OR: [{ status: { in: POLLED } }, { status: 'RESERVED', settlement: null }],
};

function pollable(refund: Pick<PosRefund, 'status' | 'settlement'>): boolean {
  return (
    POLLED.includes(refund.status) || (refund.status === 'RESERVED' && refund.settlement === null)
  );
}
/** A refund that ended without money moving gives its amount back to the payment. */
const RELEASING: PosRefundStatus[] = ['CANCELLED_BY_CLIENT', 'CANCELLED_BY_MOBILEPAY', 'FAILED'];

/** Refunds of captured in-store payments. */
@Injectable()
export class PosRefundRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Creates the refund and counts its amount against the payment in one transaction; the
   * conditional update keeps the sum of refunds ≤ captured even for concurrent requests.
   * Null: the payment is not captured or the amount exceeds what is left to refund.
   */
  create(data: NewPosRefund, idempotencyRecordId?: string): Promise<PosRefund | null> {
    return this.prisma.$transaction(async (tx) => {
      const reserved = await tx.$executeRaw`
        UPDATE "PosPayment"
           SET "refundedAmount" = "refundedAmount" + ${data.amount}, "updatedAt" = now()
         WHERE id = ${data.posPaymentId}::uuid
           AND "merchantId" = ${data.merchantId}::uuid
           AND status = 'CAPTURED'
           AND "refundedAmount" + ${data.amount} <= "capturedAmount"`;
      if (reserved !== 1) return null;
      const created = await tx.posRefund.create({ data });
      await recordIdempotentResource(tx, idempotencyRecordId, created.id);
      return created;
    });
  }

  findForMerchant(merchantId: string, id: string): Promise<PosRefund | null> {
    return this.prisma.posRefund.findFirst({ where: { id, merchantId } });
  }

  findByMobilePayId(mobilePayRefundId: string): Promise<PosRefund | null> {
    return this.prisma.posRefund.findUnique({ where: { mobilePayRefundId } });
  }

  findById(id: string): Promise<PosRefund | null> {
    return this.prisma.posRefund.findUnique({ where: { id } });
  }

  markStarted(id: string, mobilePayRefundId: string): Promise<PosRefund> {
    return this.move(id, ['CREATED'], 'INITIATED', { mobilePayRefundId });
  }

  markFailed(id: string, error: string): Promise<PosRefund> {
    return this.move(id, ['CREATED'], 'FAILED', { lastError: error.slice(0, 500) });
  }

  async claimPoll(id: string, poll: number): Promise<boolean> {
    const { count } = await this.prisma.posRefund.updateMany({
      where: { id, pollCount: poll, ...POLLABLE },
      data: { pollCount: poll + 1 },
    });
    return count === 1;
  }

  /** A polled state; a refund we settled meanwhile keeps its newer state. */
  recordObservation(
    id: string,
    status: PosRefundStatus,
    pollDelayMs: number,
    nextPollAt: Date | null,
  ): Promise<PosRefund> {
    return this.move(id, pollable, status, {
      pollDelayMs,
      pollFailures: 0,
      nextPollAt,
      lastError: null,
    });
  }

  recordPollFailure(id: string, error: string, nextPollAt: Date | null): Promise<PosRefund> {
    return this.prisma.posRefund.update({
      where: { id },
      data: { pollFailures: { increment: 1 }, lastError: error.slice(0, 500), nextPollAt },
    });
  }

  /** The capture or cancel, recorded before the call (retried, never swapped for the other). */
  async requestSettlement(id: string, settlement: PosSettlement, merchantId?: string) {
    const from: PosRefundStatus[] =
      settlement === 'CAPTURE' ? ['RESERVED'] : ['INITIATED', 'RESERVED'];
    const { count } = await this.prisma.posRefund.updateMany({
      where: {
        id,
        merchantId,
        status: { in: from },
        OR: [{ settlement: null }, { settlement }],
      },
      data: { settlement },
    });
    return count === 1;
  }

  completeSettlement(id: string, settlement: PosSettlement): Promise<PosRefund> {
    const status: PosRefundStatus = settlement === 'CAPTURE' ? 'CAPTURED' : 'CANCELLED_BY_CLIENT';
    return this.move(id, ['INITIATED', 'RESERVED'], status, { settlement: null, nextPollAt: null });
  }

  abandonSettlement(id: string, error: string): Promise<PosRefund> {
    return this.prisma.posRefund.update({
      where: { id },
      // Polled again at once (by the janitor): MobilePay's refusal says the state moved on.
      data: { settlement: null, lastError: error.slice(0, 500), nextPollAt: new Date() },
    });
  }

  findPollsOverdue(before: Date, limit: number): Promise<PosRefund[]> {
    return this.prisma.posRefund.findMany({
      where: { ...POLLABLE, nextPollAt: { lt: before } },
      take: limit,
    });
  }

  findSettlementsPending(before: Date, limit: number): Promise<PosRefund[]> {
    return this.prisma.posRefund.findMany({
      where: { settlement: { not: null }, updatedAt: { lt: before } },
      take: limit,
    });
  }

  findOrphans(before: Date, limit: number): Promise<PosRefund[]> {
    return this.prisma.posRefund.findMany({
      where: { status: 'CREATED', createdAt: { lt: before } },
      take: limit,
    });
  }

  /**
   * Moves the refund from one of `from` to `to`: releases its amount when it ended without money
   * moving, and appends the event — all or nothing.
   */
  private move(
    id: string,
    from: PosRefundStatus[] | ((refund: PosRefund) => boolean),
    to: PosRefundStatus,
    data: Prisma.PosRefundUpdateManyMutationInput,
  ): Promise<PosRefund> {
    return this.prisma.$transaction(async (tx) => {
      // Locked: a poll and a settlement of the same refund never interleave.
      await tx.$queryRaw`SELECT 1 FROM "PosRefund" WHERE id = ${id}::uuid FOR UPDATE`;
      const before = await tx.posRefund.findUniqueOrThrow({ where: { id } });
      const movable = typeof from === 'function' ? from(before) : from.includes(before.status);
      const moves = movable && before.status !== to;
      const refund = await tx.posRefund.update({
        where: { id },
        data: moves ? { ...data, status: to } : data,
      });
      if (!moves) return refund;
      if (RELEASING.includes(to)) {
        await tx.posPayment.update({
          where: { id: refund.posPaymentId },
          data: { refundedAmount: { decrement: refund.amount } },
        });
      }
      await appendPosEvent(
        tx,
        { id: refund.posPaymentId, merchantId: refund.merchantId },
        `pos_refund.${to.toLowerCase()}`,
        `${id}:${to}`,
        {
          refundId: id,
          posPaymentId: refund.posPaymentId,
          refundOrderId: refund.refundOrderId,
          status: to,
          amount: Number(refund.amount),
          currency: refund.currency,
        },
      );
      return refund;
    });
  }
}
