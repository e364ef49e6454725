import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';

export interface AttemptBacklogCounts {
  byStatus: Record<string, number>;
  overdue: number;
  /** Authorizations that must be voided and are not yet. */
  reversalsPending: number;
}

export interface OutboxBacklog {
  pending: number;
  dead: number;
  /** Age of the oldest report still owed to MobilePay; 0 when none is. */
  oldestPendingAgeSeconds: number;
}

/** Read-only figures for metrics and operations: counts and timestamps, never card data. */
@Injectable()
export class OperationsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Attempts without a final PATCH, by status, and how many of them are past their deadline. */
  async attemptBacklog(now: Date = new Date()): Promise<AttemptBacklogCounts> {
    const { rows } = await this.prisma.pool.query<{
      status: string;
      count: string;
      overdue: string;
    }>(
      `SELECT status::text AS status, count(*) AS count,
              count(*) FILTER (WHERE "deadlineAt" < $1) AS overdue
         FROM "AuthorizationAttempt"
        WHERE status NOT IN ('SUCCEEDED', 'FAILED')
        GROUP BY status`,
      [now],
    );
    const byStatus: Record<string, number> = {};
    let overdue = 0;
    for (const row of rows) {
      byStatus[row.status] = Number(row.count);
      overdue += Number(row.overdue);
    }
    const reversalsPending = await this.prisma.authorizationAttempt.count({
      where: { reversalRequiredAt: { not: null }, reversedAt: null },
    });
    return { byStatus, overdue, reversalsPending };
  }

  /** Reports owed to MobilePay: how many wait, how many were given up, how old the oldest is. */
  async outboxBacklog(now: Date = new Date()): Promise<OutboxBacklog> {
    const { rows } = await this.prisma.pool.query<{
      pending: string;
      dead: string;
      oldest: Date | null;
    }>(
      `SELECT count(*) FILTER (WHERE status = 'PENDING') AS pending,
              count(*) FILTER (WHERE status = 'DEAD') AS dead,
              min("createdAt") FILTER (WHERE status = 'PENDING') AS oldest
         FROM "OutboxMessage"
        WHERE status IN ('PENDING', 'DEAD')`,
    );
    const [row] = rows;
    const oldest = row?.oldest ? new Date(row.oldest).getTime() : null;
    return {
      pending: Number(row?.pending ?? 0),
      dead: Number(row?.dead ?? 0),
      oldestPendingAgeSeconds: oldest === null ? 0 : Math.max(0, (now.getTime() - oldest) / 1000),
    };
  }

  /** When the attempt's callback arrived and when its PATCH deadline is. */
  attemptTimes(attemptId: string): Promise<{ callbackReceivedAt: Date; deadlineAt: Date } | null> {
    return this.prisma.authorizationAttempt.findUnique({
      where: { id: attemptId },
      select: { callbackReceivedAt: true, deadlineAt: true },
    });
  }
}
