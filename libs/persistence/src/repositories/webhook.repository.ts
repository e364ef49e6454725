import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import type {
  PaymentEvent,
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookEndpoint,
} from '../generated/prisma/client';

export type DeliveryToSend = WebhookDelivery & { event: PaymentEvent; endpoint: WebhookEndpoint };
export type DeliveryWithLog = WebhookDelivery & { log: WebhookDeliveryAttempt[] };

export interface AttemptResult {
  attemptNumber: number;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  succeeded: boolean;
  /** When to try again; null: give up (the retry window is over). */
  nextAttemptAt: Date | null;
}

/** An endpoint's event filter: empty takes every type. */
function takesEventType(endpoint: { eventTypes: string[] }, type: string): boolean {
  return endpoint.eventTypes.length === 0 || endpoint.eventTypes.includes(type);
}

/** Merchant webhook endpoints, the payment events they get, and the delivery log. */
@Injectable()
export class WebhookRepository {
  constructor(private readonly prisma: PrismaService) {}

  createEndpoint(endpoint: {
    id: string;
    merchantId: string;
    url: string;
    secret: string;
    /** Empty: every event type. */
    eventTypes: string[];
  }): Promise<WebhookEndpoint> {
    return this.prisma.webhookEndpoint.create({ data: endpoint });
  }

  /**
   * Puts a new sealed secret in place. With `overlapUntil` the replaced one is kept as the previous
   * secret until then (deliveries are signed with both); without, it is dropped at once. A secret
   * still in its overlap from an earlier rotation is dropped either way. One statement, so two
   * rotations at once cannot lose a secret between them. Null: no such live endpoint.
   */
  async rotateSecret(
    merchantId: string,
    id: string,
    sealed: string,
    overlapUntil: Date | null,
  ): Promise<WebhookEndpoint | null> {
    const count = await this.prisma.$executeRaw`
      UPDATE "WebhookEndpoint"
         SET "previousSecret" = CASE WHEN ${overlapUntil}::timestamptz IS NULL THEN NULL ELSE secret END,
             "previousSecretExpiresAt" = ${overlapUntil}::timestamptz,
             secret = ${sealed}
       WHERE id = ${id}::uuid AND "merchantId" = ${merchantId}::uuid AND "deletedAt" IS NULL`;
    return count === 1 ? this.findEndpoint(merchantId, id) : null;
  }

  /** Null: no such live endpoint. */
  async updateEventTypes(
    merchantId: string,
    id: string,
    eventTypes: string[],
  ): Promise<WebhookEndpoint | null> {
    const { count } = await this.prisma.webhookEndpoint.updateMany({
      where: { id, merchantId, deletedAt: null },
      data: { eventTypes },
    });
    return count === 1 ? this.findEndpoint(merchantId, id) : null;
  }

  /** Replaces a stored signing secret with the same secret sealed anew (key rotation). */
  async resealSecret(id: string, previous: string, sealed: string): Promise<void> {
    await this.prisma.webhookEndpoint.updateMany({
      where: { id, secret: previous },
      data: { secret: sealed },
    });
  }

  listEndpoints(merchantId: string): Promise<WebhookEndpoint[]> {
    return this.prisma.webhookEndpoint.findMany({
      where: { merchantId, deletedAt: null },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
  }

  findEndpoint(merchantId: string, id: string): Promise<WebhookEndpoint | null> {
    return this.prisma.webhookEndpoint.findFirst({ where: { id, merchantId, deletedAt: null } });
  }

  /** Soft delete: the delivery log stays readable; nothing new is sent to it. */
  async deleteEndpoint(merchantId: string, id: string): Promise<boolean> {
    const { count } = await this.prisma.webhookEndpoint.updateMany({
      where: { id, merchantId, deletedAt: null },
      data: { deletedAt: new Date() },
    });
    return count === 1;
  }

  findEvent(merchantId: string, id: string): Promise<PaymentEvent | null> {
    return this.prisma.paymentEvent.findFirst({ where: { id, merchantId } });
  }

  listEvents(merchantId: string, paymentId: string | undefined, limit: number) {
    return this.prisma.paymentEvent.findMany({
      where: {
        merchantId,
        ...(paymentId ? { OR: [{ paymentId }, { posPaymentId: paymentId }] } : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
  }

  /**
   * The events table is the webhooks' outbox: events not yet dispatched get one delivery per live
   * endpoint of their merchant that takes the event's type, and are marked dispatched in the same transaction. SKIP LOCKED lets
   * several workers dispatch side by side without taking the same event.
   */
  async dispatchPending(limit: number): Promise<string[]> {
    return this.prisma.$transaction(async (tx) => {
      const events = await tx.$queryRaw<{ id: string; merchantId: string; type: string }[]>`
        SELECT id, "merchantId", type FROM "PaymentEvent"
         WHERE "dispatchedAt" IS NULL
         ORDER BY "createdAt"
         LIMIT ${limit}
           FOR UPDATE SKIP LOCKED`;
      if (events.length === 0) return [];
      const merchantIds = [...new Set(events.map((event) => event.merchantId))];
      const endpoints = await tx.webhookEndpoint.findMany({
        where: { merchantId: { in: merchantIds }, deletedAt: null },
        select: { id: true, merchantId: true, eventTypes: true },
      });
      const now = new Date();
      const deliveries = events.flatMap((event) =>
        endpoints
          .filter(
            (endpoint) =>
              endpoint.merchantId === event.merchantId && takesEventType(endpoint, event.type),
          )
          .map((endpoint) => ({
            id: randomUUID(),
            eventId: event.id,
            endpointId: endpoint.id,
            merchantId: event.merchantId,
            nextAttemptAt: now,
          })),
      );
      if (deliveries.length > 0) await tx.webhookDelivery.createMany({ data: deliveries });
      await tx.paymentEvent.updateMany({
        where: { id: { in: events.map((event) => event.id) } },
        data: { dispatchedAt: now },
      });
      return deliveries.map((delivery) => delivery.id);
    });
  }

  /** A fresh, manual delivery of one event to every live endpoint of its merchant that takes its type. */
  async redeliver(merchantId: string, eventId: string): Promise<WebhookDelivery[] | null> {
    return this.prisma.$transaction(async (tx) => {
      const event = await tx.paymentEvent.findFirst({ where: { id: eventId, merchantId } });
      if (!event) return null;
      const endpoints = await tx.webhookEndpoint.findMany({
        where: { merchantId, deletedAt: null },
        select: { id: true, eventTypes: true },
      });
      const now = new Date();
      const created: WebhookDelivery[] = [];
      for (const endpoint of endpoints.filter((e) => takesEventType(e, event.type))) {
        created.push(
          await tx.webhookDelivery.create({
            data: {
              id: randomUUID(),
              eventId,
              endpointId: endpoint.id,
              merchantId,
              manual: true,
              nextAttemptAt: now,
            },
          }),
        );
      }
      return created;
    });
  }

  findToSend(id: string): Promise<DeliveryToSend | null> {
    return this.prisma.webhookDelivery.findUnique({
      where: { id },
      include: { event: true, endpoint: true },
    });
  }

  /**
   * Claims attempt `attemptNumber` of a pending delivery, leasing it until `leaseUntil` so the
   * janitor leaves it alone meanwhile. False when another run claimed it or it is settled.
   */
  async claimAttempt(id: string, attemptNumber: number, leaseUntil: Date): Promise<boolean> {
    const { count } = await this.prisma.webhookDelivery.updateMany({
      where: { id, status: 'PENDING', attempts: attemptNumber - 1 },
      data: { attempts: attemptNumber, nextAttemptAt: leaseUntil },
    });
    return count === 1;
  }

  /** Logs the attempt and settles or reschedules the delivery, atomically. */
  async recordAttempt(id: string, result: AttemptResult): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.webhookDeliveryAttempt.createMany({
        data: [
          {
            deliveryId: id,
            attemptNumber: result.attemptNumber,
            statusCode: result.statusCode,
            latencyMs: result.latencyMs,
            error: result.error?.slice(0, 500) ?? null,
          },
        ],
        skipDuplicates: true,
      });
      await tx.webhookDelivery.update({
        where: { id },
        data: {
          status: result.succeeded ? 'SUCCEEDED' : result.nextAttemptAt ? 'PENDING' : 'FAILED',
          lastStatusCode: result.statusCode,
          lastError: result.error?.slice(0, 500) ?? null,
          deliveredAt: result.succeeded ? new Date() : null,
          nextAttemptAt: result.succeeded ? null : result.nextAttemptAt,
        },
      });
    });
  }

  async giveUp(id: string, reason: string): Promise<void> {
    await this.prisma.webhookDelivery.updateMany({
      where: { id, status: 'PENDING' },
      data: { status: 'FAILED', lastError: reason, nextAttemptAt: null },
    });
  }

  /** Pending deliveries overdue by `graceMs`: their queue job was lost (e.g. Redis restarted). */
  findOverdue(before: Date, limit: number) {
    return this.prisma.webhookDelivery.findMany({
      where: { status: 'PENDING', nextAttemptAt: { lt: before } },
      select: { id: true, attempts: true },
      orderBy: { nextAttemptAt: 'asc' },
      take: limit,
    });
  }

  listDeliveries(
    merchantId: string,
    filter: { eventId?: string; limit: number },
  ): Promise<DeliveryWithLog[]> {
    return this.prisma.webhookDelivery.findMany({
      where: { merchantId, eventId: filter.eventId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: filter.limit,
      include: { log: { orderBy: { attemptNumber: 'asc' } } },
    });
  }
}
