import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import { PAYMENT_PAGE_ORDER, paymentPageWhere } from './payment-page';
import type { PaymentStatus, Prisma } from '../generated/prisma/client';

export interface BackOfficePaymentQuery {
  merchantId?: string;
  merchantOrderId?: string;
  mobilePayPaymentId?: string;
  attemptId?: string;
  status?: PaymentStatus;
  createdFrom?: Date;
  createdTo?: Date;
  after?: { createdAt: Date; id: string };
  limit: number;
}

const MERCHANT_SUMMARY = { select: { id: true, name: true, externalId: true } } as const;

const PAYMENT_DETAIL = {
  merchant: MERCHANT_SUMMARY,
  attempts: {
    orderBy: { callbackReceivedAt: 'asc' },
    include: { history: { orderBy: [{ at: 'asc' }, { id: 'asc' }] } },
  },
  operations: { orderBy: { createdAt: 'asc' } },
  events: {
    orderBy: { createdAt: 'asc' },
    include: {
      deliveries: {
        orderBy: { createdAt: 'asc' },
        include: {
          endpoint: { select: { id: true, url: true } },
          log: { orderBy: { attemptNumber: 'asc' } },
        },
      },
    },
  },
} as const satisfies Prisma.PaymentInclude;

export type BackOfficePaymentDetail = Prisma.PaymentGetPayload<{ include: typeof PAYMENT_DETAIL }>;

/**
 * The operators' read side across every merchant (the back office is not merchant-scoped): payment
 * search and the full story of one payment. Nothing here selects sealed card data.
 */
@Injectable()
export class BackOfficeRepository {
  constructor(private readonly prisma: PrismaService) {}

  searchPayments(query: BackOfficePaymentQuery) {
    const where = paymentPageWhere(
      {
        merchantId: query.merchantId,
        merchantOrderId: query.merchantOrderId,
        mobilePayPaymentId: query.mobilePayPaymentId,
        status: query.status,
        attempts: query.attemptId ? { some: { id: query.attemptId } } : undefined,
      },
      query,
    );
    return this.prisma.payment.findMany({
      where,
      orderBy: PAYMENT_PAGE_ORDER,
      take: query.limit,
      include: {
        merchant: MERCHANT_SUMMARY,
        attempts: {
          orderBy: { callbackReceivedAt: 'desc' },
          take: 1,
          select: { id: true, status: true, cardType: true, maskedCardNumber: true },
        },
      },
    });
  }

  findPaymentDetail(id: string): Promise<BackOfficePaymentDetail | null> {
    return this.prisma.payment.findUnique({ where: { id }, include: PAYMENT_DETAIL });
  }

  outboxForPayment(paymentId: string) {
    return this.prisma.outboxMessage.findMany({
      where: { paymentId },
      orderBy: { createdAt: 'asc' },
      select: {
        id: true,
        kind: true,
        attemptId: true,
        status: true,
        tries: true,
        lastError: true,
        createdAt: true,
        sentAt: true,
      },
    });
  }

  findEvent(id: string) {
    return this.prisma.paymentEvent.findUnique({
      where: { id },
      select: { id: true, merchantId: true },
    });
  }

  listMerchants() {
    return this.prisma.merchant.findMany({
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      include: {
        apiKeys: { orderBy: { createdAt: 'desc' } },
        _count: { select: { payments: true } },
      },
    });
  }
}
