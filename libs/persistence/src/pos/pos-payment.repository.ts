import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import type {
  PaymentEvent,
  PosPayment,
  PosPaymentStatus,
  PosPointOfSale,
  PosRefund,
  PosSettlement,
  Prisma,
} from '../generated/prisma/client';
import { recordIdempotentResource } from '../repositories/idempotency.repository';
import { appendPosEvent, paymentEventData } from './pos-events';

export interface NewPosPayment {
  id: string;
  merchantId: string;
  pointOfSaleId: string;
  orderId: string;
  prepared: boolean;
  amount: bigint | null;
  currency: string | null;
  plannedCaptureDelay: string | null;
  merchantPaymentLabel: string | null;
  restrictions: Prisma.InputJsonValue | undefined;
  idempotencyKey: string;
}

export type PosPaymentWithRefunds = PosPayment & { refunds: PosRefund[] };

/** What one poll of MobilePay learned about a payment. */
export interface PosPaymentObservation {
  status: PosPaymentStatus;
  amount: bigint | null;
  currency: string | null;
  partialCapturePossible: boolean | null;
  loyaltyIds: string[];
  customerToken: string | null;
  expiresAt: Date | null;
  pollDelayMs: number;
}

export interface PosReadyDetails {
  amount: bigint;
  currency: string;
  plannedCaptureDelay: string;
  merchantPaymentLabel: string | null;
  restrictions: Prisma.InputJsonValue | undefined;
}

const POLLED: PosPaymentStatus[] = ['PREPARED', 'PAIRED', 'INITIATED', 'ISSUED_TO_USER'];
/**
 * Polled: an active payment, or a reservation nobody captured or cancelled yet — looked at once
 * more when it should have expired, to see MobilePay's ExpiredAndCancelled.
 */
const POLLABLE: Prisma.PosPaymentWhereInput = {
  OR: [{ status: { in: POLLED } }, { status: 'RESERVED', settlement: null }],
};

function pollable(payment: Pick<PosPayment, 'status' | 'settlement'>): boolean {
  return (
    POLLED.includes(payment.status) ||
    (payment.status === 'RESERVED' && payment.settlement === null)
  );
}

/** In-store payments. Merchant-facing reads take the merchant id; the worker's work by id. */
@Injectable()
export class PosPaymentRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: NewPosPayment, idempotencyRecordId?: string): Promise<PosPayment> {
    return this.prisma.$transaction(async (tx) => {
      const created = await tx.posPayment.create({ data });
      await recordIdempotentResource(tx, idempotencyRecordId, created.id);
      return created;
    });
  }

  findForMerchant(merchantId: string, id: string): Promise<PosPaymentWithRefunds | null> {
    return this.prisma.posPayment.findFirst({
      where: { id, merchantId },
      include: { refunds: { orderBy: { createdAt: 'asc' } } },
    });
  }

  findById(id: string): Promise<PosPayment | null> {
    return this.prisma.posPayment.findUnique({ where: { id } });
  }

  list(
    merchantId: string,
    filter: { status?: PosPaymentStatus; orderId?: string; pointOfSaleId?: string },
    limit: number,
  ): Promise<PosPaymentWithRefunds[]> {
    return this.prisma.posPayment.findMany({
      where: { merchantId, ...filter },
      include: { refunds: { orderBy: { createdAt: 'asc' } } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
  }

  /** Our payments that MobilePay considers active on this point of sale (they block a new one). */
  findActiveOn(pointOfSaleId: string): Promise<PosPayment[]> {
    return this.prisma.posPayment.findMany({
      where: { pointOfSaleId, status: { in: POLLED } },
      orderBy: { createdAt: 'desc' },
    });
  }

  findPointOfSale(id: string): Promise<PosPointOfSale | null> {
    return this.prisma.posPointOfSale.findUnique({ where: { id } });
  }

  findByMobilePayId(mobilePayPaymentId: string): Promise<PosPayment | null> {
    return this.prisma.posPayment.findUnique({ where: { mobilePayPaymentId } });
  }

  /** MobilePay confirmed the payment: it has an id and a first state. */
  markStarted(id: string, mobilePayPaymentId: string, status: PosPaymentStatus) {
    return this.transition(id, { status: 'CREATED' }, { mobilePayPaymentId, status });
  }

  markFailed(id: string, error: string) {
    return this.transition(id, { status: 'CREATED' }, { status: 'FAILED', lastError: error });
  }

  /** Prepared flow: the amount arrives with "ready"; only once, and only while prepared or paired. */
  async markReady(merchantId: string, id: string, details: PosReadyDetails): Promise<boolean> {
    const { count } = await this.prisma.posPayment.updateMany({
      where: {
        id,
        merchantId,
        prepared: true,
        amount: null,
        status: { in: ['PREPARED', 'PAIRED'] },
      },
      data: details,
    });
    return count === 1;
  }

  /** Claims poll number `poll`: a duplicate or late job for the same poll does nothing. */
  async claimPoll(id: string, poll: number): Promise<boolean> {
    const { count } = await this.prisma.posPayment.updateMany({
      where: { id, pollCount: poll, ...POLLABLE },
      data: { pollCount: poll + 1 },
    });
    return count === 1;
  }

  /** Stores what a poll saw; a new state becomes one event, however often it is seen. */
  recordObservation(id: string, seen: PosPaymentObservation, nextPollAt: Date | null) {
    return this.prisma.$transaction(async (tx) => {
      // Locked: a capture or cancel completing meanwhile must not be overwritten by this poll.
      await tx.$queryRaw`SELECT 1 FROM "PosPayment" WHERE id = ${id}::uuid FOR UPDATE`;
      const before = await tx.posPayment.findUniqueOrThrow({ where: { id } });
      const payment = await tx.posPayment.update({
        where: { id },
        data: {
          ...seen,
          amount: seen.amount ?? before.amount,
          currency: seen.currency ?? before.currency,
          // A state we moved to ourselves (a capture or cancel) is newer than a poll in flight.
          status: pollable(before) || before.status === 'CREATED' ? seen.status : before.status,
          pollFailures: 0,
          nextPollAt,
          lastError: null,
        },
      });
      if (payment.status !== before.status) {
        await appendPosEvent(tx, payment, eventType(payment.status), `${id}:${payment.status}`, {
          ...(paymentEventData(payment) as object),
          loyaltyIds: payment.loyaltyIds,
          partialCapturePossible: payment.partialCapturePossible,
        });
      }
      return { before: before.status, payment };
    });
  }

  recordPollFailure(id: string, error: string, nextPollAt: Date | null): Promise<PosPayment> {
    return this.prisma.posPayment.update({
      where: { id },
      data: { pollFailures: { increment: 1 }, lastError: error.slice(0, 500), nextPollAt },
    });
  }

  /**
   * Records the merchant's capture or cancel before MobilePay hears of it, so it survives a
   * failed call. The same request again (a retry) is allowed; the other one is not.
   */
  async requestSettlement(
    merchantId: string,
    id: string,
    settlement: PosSettlement,
    amount: bigint | null,
    from: PosPaymentStatus[],
  ): Promise<boolean> {
    const { count } = await this.prisma.posPayment.updateMany({
      where: {
        id,
        merchantId,
        status: { in: from },
        OR: [{ settlement: null }, { settlement, settlementAmount: amount }],
      },
      data: { settlement, settlementAmount: amount },
    });
    return count === 1;
  }

  /** MobilePay confirmed the capture or cancel. */
  completeSettlement(id: string, settlement: PosSettlement, amount: bigint | null) {
    return this.prisma.$transaction(async (tx) => {
      const status: PosPaymentStatus =
        settlement === 'CAPTURE' ? 'CAPTURED' : 'CANCELLED_BY_CLIENT';
      const payment = await tx.posPayment.update({
        where: { id },
        data: {
          status,
          capturedAmount: settlement === 'CAPTURE' ? (amount ?? 0n) : undefined,
          settlement: null,
          settlementAmount: null,
          nextPollAt: null,
          lastError: null,
        },
      });
      await appendPosEvent(
        tx,
        payment,
        eventType(status),
        `${id}:${status}`,
        paymentEventData(payment),
      );
      return payment;
    });
  }

  /** MobilePay refused the settlement for good (e.g. not reserved any more): forget it. */
  abandonSettlement(id: string, error: string): Promise<PosPayment> {
    return this.prisma.posPayment.update({
      where: { id },
      // Polled again at once (by the janitor): MobilePay's refusal says the state moved on.
      data: {
        settlement: null,
        settlementAmount: null,
        lastError: error.slice(0, 500),
        nextPollAt: new Date(),
      },
    });
  }

  recordError(id: string, error: string): Promise<PosPayment> {
    return this.prisma.posPayment.update({
      where: { id },
      data: { lastError: error.slice(0, 500) },
    });
  }

  /** Polls whose job should have run by `before` (Redis lost it, or the worker was down). */
  findPollsOverdue(before: Date, limit: number): Promise<PosPayment[]> {
    return this.prisma.posPayment.findMany({
      where: { ...POLLABLE, nextPollAt: { lt: before } },
      orderBy: { nextPollAt: 'asc' },
      take: limit,
    });
  }

  /** Captures and cancels not yet confirmed by MobilePay ("hanging reservations"). */
  findSettlementsPending(before: Date, limit: number): Promise<PosPayment[]> {
    return this.prisma.posPayment.findMany({
      where: { settlement: { not: null }, updatedAt: { lt: before } },
      orderBy: { updatedAt: 'asc' },
      take: limit,
    });
  }

  /** Payments whose start at MobilePay never got an answer. */
  findOrphans(before: Date, limit: number): Promise<PosPayment[]> {
    return this.prisma.posPayment.findMany({
      where: { status: 'CREATED', createdAt: { lt: before } },
      orderBy: { createdAt: 'asc' },
      take: limit,
    });
  }

  listEvents(
    merchantId: string,
    posPaymentId: string | undefined,
    limit: number,
  ): Promise<PaymentEvent[]> {
    return this.prisma.paymentEvent.findMany({
      where: { merchantId, posPaymentId: posPaymentId ?? { not: null } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
  }

  private transition(
    id: string,
    where: Prisma.PosPaymentWhereInput,
    data: Prisma.PosPaymentUpdateManyMutationInput & { status: PosPaymentStatus },
  ) {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.posPayment.updateMany({ where: { id, ...where }, data });
      const payment = await tx.posPayment.findUniqueOrThrow({ where: { id } });
      if (count === 1) {
        await appendPosEvent(
          tx,
          payment,
          eventType(data.status),
          `${id}:${data.status}`,
          paymentEventData(payment),
        );
      }
      return payment;
    });
  }
}

function eventType(status: PosPaymentStatus): string {
  return `pos_payment.${status.toLowerCase()}`;
}
