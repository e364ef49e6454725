import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import { PAYMENT_PAGE_ORDER, paymentPageWhere } from './payment-page';
import type {
  AuthorizationAttempt,
  Payment,
  PaymentOperation,
  PaymentStatus,
  Prisma,
} from '../generated/prisma/client';
import { recordIdempotentResource } from './idempotency.repository';
import { appendEvent } from './payment-events';

export interface NewPayment {
  id: string;
  merchantId: string;
  pspReferenceId: string;
  merchantOrderId: string;
  amount: bigint;
  currency: string;
  allowedCardTypes: string[];
  redirectFromMobilePayUrl: string | null;
  publicKeyId: number;
  expiresAt: Date;
  checkoutOptions?: Prisma.InputJsonValue;
  /** ePayment: the channel, our reference at Vipps MobilePay, the MSN, the user flow. */
  channel?: 'ONLINE' | 'EPAYMENT';
  epaymentReference?: string;
  epaymentMsn?: string;
  userFlow?: string;
  customerInteraction?: string;
}

export type CreatePaymentOutcome =
  { kind: 'created'; payment: Payment } | { kind: 'too-many-initiations' };

export type PaymentWithDetails = Payment & {
  attempts: AuthorizationAttempt[];
  operations: PaymentOperation[];
};

export interface PaymentListQuery {
  status?: PaymentStatus;
  merchantOrderId?: string;
  createdFrom?: Date;
  createdTo?: Date;
  /** Position after which to continue: the last (createdAt, id) of the previous page. */
  after?: { createdAt: Date; id: string };
  limit: number;
}

const DETAILS = {
  attempts: { orderBy: { callbackReceivedAt: 'asc' } },
  operations: { orderBy: { createdAt: 'asc' } },
} as const;

@Injectable()
export class PaymentRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Inserts the payment unless the merchant already initiated this order `maxPerOrder` times
   * (request fishing guard). The per-order count and the insert run under a transaction-scoped
   * advisory lock on the order, so concurrent initiations cannot both slip under the limit. The
   * idempotency record (if any) learns the payment's id in the same transaction.
   */
  async create(
    payment: NewPayment,
    maxPerOrder: number,
    idempotencyRecordId?: string,
  ): Promise<CreatePaymentOutcome> {
    return this.prisma.$transaction(async (tx) => {
      const orderLock = `payment-order:${payment.merchantId}:${payment.merchantOrderId}`;
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${orderLock}, 0))`;
      const initiations = await tx.payment.count({
        where: { merchantId: payment.merchantId, merchantOrderId: payment.merchantOrderId },
      });
      if (initiations >= maxPerOrder) return { kind: 'too-many-initiations' };
      const created = await tx.payment.create({ data: payment });
      await recordIdempotentResource(tx, idempotencyRecordId, created.id);
      return { kind: 'created', payment: created };
    });
  }

  markInitiated(
    id: string,
    result: {
      mobilePayPaymentId: string;
      redirectToMobilePayUrl: string | null;
      redirectToMobilePayAppUrl: string | null;
    },
  ): Promise<Payment> {
    return this.prisma.payment.update({ where: { id }, data: { ...result, status: 'INITIATED' } });
  }

  markFailed(id: string): Promise<Payment> {
    return this.prisma.payment.update({ where: { id }, data: { status: 'FAILED' } });
  }

  findForMerchant(merchantId: string, id: string): Promise<PaymentWithDetails | null> {
    return this.prisma.payment.findFirst({ where: { id, merchantId }, include: DETAILS });
  }

  /** Newest first, by (createdAt, id) so pages never skip or repeat a payment. */
  listForMerchant(merchantId: string, query: PaymentListQuery): Promise<PaymentWithDetails[]> {
    const where = paymentPageWhere(
      {
        merchantId,
        status: query.status,
        merchantOrderId: query.merchantOrderId,
      },
      query,
    );
    return this.prisma.payment.findMany({
      where,
      orderBy: PAYMENT_PAGE_ORDER,
      take: query.limit,
      include: DETAILS,
    });
  }

  /** The attempt MobilePay accepted as succeeded: the authorization captures and refunds act on. */
  findSucceededAttempt(paymentId: string): Promise<AuthorizationAttempt | null> {
    return this.prisma.authorizationAttempt.findFirst({
      where: { paymentId, status: 'SUCCEEDED' },
      orderBy: { callbackReceivedAt: 'desc' },
    });
  }

  /** Stores Checkout details and the merchant event, once per attempt (redeliveries are no-ops). */
  /**
   * Checkout addresses, only while the payment is open: the conditional update locks the row, so
   * an authorization committing at the same time is seen, and an authorized (or ended) payment's
   * addresses are never overwritten. False when the payment is no longer open.
   */
  async saveCheckoutDetails(
    payment: Payment,
    details: Prisma.InputJsonValue,
    dedupeKey: string,
  ): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.payment.updateMany({
        where: { id: payment.id, status: { in: ['CREATED', 'INITIATED'] } },
        data: { updatedAt: new Date() },
      });
      if (count === 0) return false;
      const event = await appendEvent(tx, payment, 'payment.address_received', dedupeKey, details);
      if (event)
        await tx.payment.update({ where: { id: payment.id }, data: { checkoutDetails: details } });
      return true;
    });
  }

  /**
   * The payment expired (MobilePay's failed-payment callback once its validity lapsed, or the
   * janitor). Card data of its attempts is purged, and an attempt still waiting for a worker will
   * be refused by it (the payment is no longer open).
   */
  async expire(payment: Payment, data: Prisma.InputJsonValue): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.payment.updateMany({
        where: { id: payment.id, status: { in: ['CREATED', 'INITIATED'] } },
        data: { status: 'EXPIRED' },
      });
      await tx.sealedCardData.deleteMany({ where: { attempt: { paymentId: payment.id } } });
      if (count > 0)
        await appendEvent(tx, payment, 'payment.expired', `expired:${payment.id}`, data);
      return count > 0;
    });
  }

  /**
   * Payments whose validity ended before `before` with nothing left open: no attempt other than
   * declined or failed ones. MobilePay's failed-payment callback normally closes them; these are
   * the ones it never reached (it is not sent in every case, and retried for 15 s only).
   */
  findLapsed(before: Date, limit: number): Promise<Payment[]> {
    return this.prisma.payment.findMany({
      where: {
        status: { in: ['CREATED', 'INITIATED'] },
        expiresAt: { lt: before },
        attempts: { none: { status: { notIn: ['DECLINED', 'FAILED'] } } },
      },
      orderBy: { expiresAt: 'asc' },
      take: limit,
    });
  }

  findByMobilePayId(mobilePayPaymentId: string): Promise<Payment | null> {
    return this.prisma.payment.findUnique({ where: { mobilePayPaymentId } });
  }
}
