import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';

export interface CallbackMinuteRow {
  minute: Date;
  callbacks: number;
}

export interface ApprovalMinuteRow {
  minute: Date;
  acquirer: string;
  succeeded: number;
  failed: number;
}

export interface PatchLatencyMinuteRow {
  minute: Date;
  p99Ms: number;
  maxMs: number;
  patches: number;
}

/**
 * Per-minute series for the console's overview, computed from the payments' own rows (so a
 * deployment without Prometheus still has them): accepted card and token callbacks (one attempt
 * each), final outcomes per acquirer, and callback → final PATCH latency.
 */
@Injectable()
export class OverviewRepository {
  constructor(private readonly prisma: PrismaService) {}

  callbacksPerMinute(since: Date): Promise<CallbackMinuteRow[]> {
    return this.prisma.$queryRaw<CallbackMinuteRow[]>`
      SELECT date_trunc('minute', "callbackReceivedAt") AS "minute", count(*)::int AS "callbacks"
        FROM "AuthorizationAttempt"
       WHERE "callbackReceivedAt" >= ${since}
       GROUP BY 1 ORDER BY 1`;
  }

  /** Attempts that reached an acquirer and were finally patched, by minute of the PATCH. */
  outcomesPerMinute(since: Date): Promise<ApprovalMinuteRow[]> {
    return this.prisma.$queryRaw<ApprovalMinuteRow[]>`
      SELECT date_trunc('minute', "patchedAt") AS "minute", "acquirer",
             count(*) FILTER (WHERE "status" = 'SUCCEEDED')::int AS "succeeded",
             count(*) FILTER (WHERE "status" = 'FAILED')::int AS "failed"
        FROM "AuthorizationAttempt"
       WHERE "patchedAt" >= ${since} AND "acquirer" IS NOT NULL
         AND "status" IN ('SUCCEEDED', 'FAILED')
       GROUP BY 1, 2 ORDER BY 1, 2`;
  }

  patchLatencyPerMinute(since: Date): Promise<PatchLatencyMinuteRow[]> {
    return this.prisma.$queryRaw<PatchLatencyMinuteRow[]>`
      SELECT date_trunc('minute', "patchedAt") AS "minute",
             percentile_cont(0.99) WITHIN GROUP (
               ORDER BY extract(epoch FROM "patchedAt" - "callbackReceivedAt") * 1000
             )::float8 AS "p99Ms",
             max(extract(epoch FROM "patchedAt" - "callbackReceivedAt") * 1000)::float8 AS "maxMs",
             count(*)::int AS "patches"
        FROM "AuthorizationAttempt"
       WHERE "patchedAt" >= ${since} AND "status" IN ('SUCCEEDED', 'FAILED')
       GROUP BY 1 ORDER BY 1`;
  }
}
