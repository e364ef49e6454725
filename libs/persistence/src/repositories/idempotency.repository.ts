import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import { Prisma } from '../generated/prisma/client';

export interface IdempotentRequest {
  /** "merchant:<id>" or "admin". */
  scope: string;
  key: string;
  requestHash: string;
  method: string;
  path: string;
  ttlMs: number;
  /** A lock held longer than this belongs to a request that died: its key may be taken over. */
  staleLockMs: number;
}

export type IdempotencyClaim =
  /** This request owns the key now; `resourceId` is what an earlier, failed run created. */
  | { kind: 'owner'; recordId: string; resourceId: string | null }
  | {
      kind: 'replay';
      recordId: string;
      status: number;
      body: unknown;
      /** The sealed secrets of the body (see `complete`), or null. */
      sealedSecrets: string | null;
    }
  | { kind: 'mismatch' }
  | { kind: 'in-progress' };

/**
 * Stripe's Idempotency-Key semantics on one table: the first request to insert (scope, key) runs,
 * its response is stored and replayed; a key seen with other parameters is refused. Every step is
 * a single conditional statement, so two concurrent requests can never both own a key.
 */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly prisma: PrismaService) {}

  async claim(request: IdempotentRequest): Promise<IdempotencyClaim> {
    for (let round = 0; round < 3; round++) {
      const now = new Date();
      const expiresAt = new Date(now.getTime() + request.ttlMs);
      const id = randomUUID();
      const { count } = await this.prisma.idempotencyRecord.createMany({
        data: [
          {
            id,
            scope: request.scope,
            key: request.key,
            requestHash: request.requestHash,
            method: request.method,
            path: request.path,
            lockedAt: now,
            expiresAt,
          },
        ],
        skipDuplicates: true,
      });
      if (count === 1) return { kind: 'owner', recordId: id, resourceId: null };

      const existing = await this.prisma.idempotencyRecord.findUnique({
        where: { scope_key: { scope: request.scope, key: request.key } },
      });
      if (!existing) continue; // purged in between: insert again
      if (existing.expiresAt <= now) {
        // An expired key is a new key: reset it, unless another request did just that.
        const reset = await this.prisma.idempotencyRecord.updateMany({
          where: { id: existing.id, expiresAt: { lte: now } },
          data: {
            requestHash: request.requestHash,
            method: request.method,
            path: request.path,
            lockedAt: now,
            responseStatus: null,
            responseBody: Prisma.DbNull,
            responseSecrets: null,
            resourceId: null,
            createdAt: now,
            expiresAt,
          },
        });
        if (reset.count === 1) return { kind: 'owner', recordId: existing.id, resourceId: null };
        continue;
      }
      if (existing.requestHash !== request.requestHash) return { kind: 'mismatch' };
      if (existing.responseStatus !== null) {
        return {
          kind: 'replay',
          recordId: existing.id,
          status: existing.responseStatus,
          body: existing.responseBody,
          sealedSecrets: existing.responseSecrets,
        };
      }
      // Released after a transient failure, or held by a request that died: take it over.
      const staleBefore = new Date(now.getTime() - request.staleLockMs);
      const taken = await this.prisma.idempotencyRecord.updateMany({
        where: {
          id: existing.id,
          responseStatus: null,
          OR: [{ lockedAt: null }, { lockedAt: { lt: staleBefore } }],
        },
        data: { lockedAt: now },
      });
      if (taken.count === 1) {
        return { kind: 'owner', recordId: existing.id, resourceId: existing.resourceId };
      }
      return { kind: 'in-progress' };
    }
    return { kind: 'in-progress' };
  }

  /**
   * Stores the response to replay; the key stays bound to it until it expires. A body that held
   * secrets comes with them withheld and `sealedSecrets` holding them, sealed by the caller.
   */
  async complete(
    recordId: string,
    status: number,
    body: unknown,
    sealedSecrets: string | null = null,
  ): Promise<void> {
    await this.prisma.idempotencyRecord.updateMany({
      where: { id: recordId, responseStatus: null },
      data: {
        responseStatus: status,
        responseBody: body === undefined ? Prisma.DbNull : (body as Prisma.InputJsonValue),
        responseSecrets: sealedSecrets,
        lockedAt: null,
      },
    });
  }

  /**
   * Nothing to replay (invalid input, a transient failure): the next request with the key runs
   * again. A key under which nothing was created is forgotten altogether (so corrected parameters
   * may reuse it); one that created a resource stays bound to its parameters, to resume it.
   */
  async release(recordId: string): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.idempotencyRecord.deleteMany({
        where: { id: recordId, responseStatus: null, resourceId: null },
      }),
      this.prisma.idempotencyRecord.updateMany({
        where: { id: recordId, responseStatus: null },
        data: { lockedAt: null },
      }),
    ]);
  }

  async purgeExpired(now: Date = new Date()): Promise<number> {
    const { count } = await this.prisma.idempotencyRecord.deleteMany({
      where: { expiresAt: { lt: now } },
    });
    return count;
  }
}

/**
 * Remembers, inside the caller's transaction, which resource the request that owns a key created,
 * so a retry after a crash or a 5xx resumes that resource instead of creating a second one.
 */
export async function recordIdempotentResource(
  tx: Prisma.TransactionClient,
  recordId: string | undefined,
  resourceId: string,
): Promise<void> {
  if (!recordId) return;
  await tx.idempotencyRecord.updateMany({ where: { id: recordId }, data: { resourceId } });
}
