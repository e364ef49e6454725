import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';

export interface AttemptBacklogCounts {
  byStatus: Record<string, number>;
  overdue: number;
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
    return { byStatus, overdue };
  }

  /** When the attempt's callback arrived and when its PATCH deadline is. */
  attemptTimes(attemptId: string): Promise<{ callbackReceivedAt: Date; deadlineAt: Date } | null> {
    return this.prisma.authorizationAttempt.findUnique({
      where: { id: attemptId },
      select: { callbackReceivedAt: true, deadlineAt: true },
    });
  }
}
