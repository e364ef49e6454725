import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/domain';
import { BackOfficeRepository } from '@app/persistence';
import { decodeCursor, encodeCursor } from '../payments/cursor';
import { WebhooksService } from '../webhooks/webhooks.service';
import type { DeliveryView } from '../webhooks/webhook.dto';
import {
  type AdminPaymentDetail,
  type AdminPaymentsQuery,
  adminPaymentListSchema,
  toAdminPaymentDetail,
} from './back-office.view';
import type { z } from 'zod';

const DEFAULT_PAGE = 25;

/** The operators' view of payments across merchants: search, one payment's story, redelivery. */
@Injectable()
export class AdminPaymentsService {
  constructor(
    private readonly backOffice: BackOfficeRepository,
    private readonly webhooks: WebhooksService,
  ) {}

  async search(query: AdminPaymentsQuery): Promise<z.infer<typeof adminPaymentListSchema>> {
    const limit = query.limit ? Number(query.limit) : DEFAULT_PAGE;
    // One more than asked tells whether there is a next page.
    const rows = await this.backOffice.searchPayments({
      merchantId: query.merchantId,
      merchantOrderId: query.orderId,
      mobilePayPaymentId: query.mobilePayPaymentId,
      attemptId: query.attemptId,
      status: query.status,
      createdFrom: query.createdFrom ? new Date(query.createdFrom) : undefined,
      createdTo: query.createdTo ? new Date(query.createdTo) : undefined,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map((p) => ({
        id: p.id,
        merchant: p.merchant,
        orderId: p.merchantOrderId,
        mobilePayPaymentId: p.mobilePayPaymentId,
        status: p.status,
        amount: Number(p.amount),
        currency: p.currency,
        createdAt: p.createdAt.toISOString(),
        lastAttempt: p.attempts[0] ?? null,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    };
  }

  async get(id: string): Promise<AdminPaymentDetail> {
    const payment = await this.backOffice.findPaymentDetail(id);
    if (!payment) throw new DomainError(ErrorCode.NotFound, 'payment not found');
    const reports = await this.backOffice.outboxForPayment(id);
    return toAdminPaymentDetail(
      payment,
      reports.map((r) => ({
        ...r,
        createdAt: r.createdAt.toISOString(),
        sentAt: r.sentAt ? r.sentAt.toISOString() : null,
      })),
    );
  }

  /** The merchant's own redelivery, on the operator's behalf: a new delivery to every endpoint. */
  async redeliver(eventId: string): Promise<{ data: DeliveryView[] }> {
    const event = await this.backOffice.findEvent(eventId);
    if (!event) throw new DomainError(ErrorCode.NotFound, 'event not found');
    return this.webhooks.redeliver(event.merchantId, eventId);
  }
}
