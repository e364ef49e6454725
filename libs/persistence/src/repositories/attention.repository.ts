import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';

const LIMIT = 200;
/** Attempts whose PATCH MobilePay has not accepted yet: their outcome is still open. */
const OPEN_ATTEMPT = ['RECEIVED', 'AUTHORIZING', 'AUTHORIZED', 'DECLINED'] as const;

export interface FailingEndpointRow {
  endpointId: string;
  url: string;
  merchantId: string;
  merchantName: string;
  failing: number;
  gaveUp: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
}

/**
 * What needs a human, read across every merchant: open attempts past their PATCH deadline and
 * captures/cancels/refunds whose acquirer outcome is unknown, reversals still owed, reports to
 * MobilePay that exhausted their retries, and webhook endpoints that keep failing.
 */
@Injectable()
export class AttentionRepository {
  constructor(private readonly prisma: PrismaService) {}

  overdueAttempts(now: Date) {
    return this.prisma.authorizationAttempt.findMany({
      where: { status: { in: [...OPEN_ATTEMPT] }, deadlineAt: { lt: now } },
      orderBy: { deadlineAt: 'asc' },
      take: LIMIT,
      select: {
        id: true,
        paymentId: true,
        status: true,
        acquirer: true,
        deadlineAt: true,
        callbackReceivedAt: true,
        payment: { select: { merchantOrderId: true, merchant: { select: { name: true } } } },
      },
    });
  }

  pendingOperations(before: Date) {
    return this.prisma.paymentOperation.findMany({
      where: { status: 'PENDING', createdAt: { lt: before } },
      orderBy: { createdAt: 'asc' },
      take: LIMIT,
      select: {
        id: true,
        paymentId: true,
        kind: true,
        amount: true,
        acquirer: true,
        createdAt: true,
        payment: {
          select: { merchantOrderId: true, currency: true, merchant: { select: { name: true } } },
        },
      },
    });
  }

  /** Required and not done since it was (last) required. */
  async pendingReversals() {
    const rows = await this.prisma.authorizationAttempt.findMany({
      where: { reversalRequiredAt: { not: null } },
      orderBy: { reversalRequiredAt: 'asc' },
      take: LIMIT * 5,
      select: {
        id: true,
        paymentId: true,
        status: true,
        acquirer: true,
        reversalRequiredAt: true,
        reversedAt: true,
        payment: { select: { merchantOrderId: true, merchant: { select: { name: true } } } },
      },
    });
    return rows
      .filter((r) => !r.reversedAt || r.reversedAt < r.reversalRequiredAt!)
      .slice(0, LIMIT);
  }

  findReversal(attemptId: string) {
    return this.prisma.authorizationAttempt.findUnique({
      where: { id: attemptId },
      select: { id: true, reversalRequiredAt: true, reversedAt: true },
    });
  }

  exhaustedReports() {
    return this.prisma.outboxMessage.findMany({
      where: { status: 'DEAD' },
      orderBy: { createdAt: 'asc' },
      take: LIMIT,
      select: {
        id: true,
        kind: true,
        paymentId: true,
        attemptId: true,
        tries: true,
        lastError: true,
        createdAt: true,
      },
    });
  }

  /** A dead report back to pending, with a fresh retry budget; false if it is not dead (anymore). */
  async reviveReport(id: string): Promise<boolean> {
    const { count } = await this.prisma.outboxMessage.updateMany({
      where: { id, status: 'DEAD', kind: { not: 'PATCH_AUTHORIZATION_ATTEMPT' } },
      data: { status: 'PENDING', tries: 0 },
    });
    return count === 1;
  }

  /**
   * Endpoints with deliveries whose last try failed and that are still being retried, or that
   * were given up on in the last day.
   */
  failingEndpoints(since: Date): Promise<FailingEndpointRow[]> {
    return this.prisma.$queryRaw<FailingEndpointRow[]>`
      SELECT e."id" AS "endpointId", e."url", m."id" AS "merchantId", m."name" AS "merchantName",
             count(*) FILTER (WHERE d."status" = 'PENDING')::int AS "failing",
             count(*) FILTER (WHERE d."status" = 'FAILED')::int AS "gaveUp",
             (array_agg(d."lastStatusCode" ORDER BY d."updatedAt" DESC))[1] AS "lastStatusCode",
             (array_agg(d."lastError" ORDER BY d."updatedAt" DESC))[1] AS "lastError",
             max(d."updatedAt") AS "lastAttemptAt"
        FROM "WebhookDelivery" d
        JOIN "WebhookEndpoint" e ON e."id" = d."endpointId"
        JOIN "Merchant" m ON m."id" = e."merchantId"
       WHERE e."deletedAt" IS NULL
         AND ((d."status" = 'PENDING' AND d."attempts" > 0
               AND (d."lastStatusCode" IS NULL OR d."lastStatusCode" NOT BETWEEN 200 AND 299))
           OR (d."status" = 'FAILED' AND d."updatedAt" >= ${since}))
       GROUP BY e."id", m."id"
       ORDER BY max(d."updatedAt") DESC
       LIMIT ${LIMIT}`;
  }

  /** The deliveries of an endpoint waiting for their next try after a failure. */
  retryableDeliveries(endpointId: string) {
    return this.prisma.webhookDelivery.findMany({
      where: { endpointId, status: 'PENDING', attempts: { gt: 0 } },
      select: { id: true, attempts: true },
      take: LIMIT,
    });
  }
}
