import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { IdempotencySecretBox } from '@app/crypto';
import {
  DomainError,
  ErrorCode,
  hasWithheldSecret,
  restoreSecrets,
  type WithheldSecret,
  withholdSecrets,
} from '@app/domain';
import { IdempotencyRepository } from '@app/persistence';
import { canonicalJson } from './canonical-json';

/** Stripe's rules: keys live 24 h; a concurrent duplicate waits this long, then gets a 409. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60_000;
const WAIT_FOR_FIRST_MS = 2_000;
const POLL_MS = 50;
/** Longer than any request may run (MobilePay and acquirer retries included). */
const STALE_LOCK_MS = 60_000;

export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII');

/** What a handler learns about the key it runs under (attached to the request). */
export interface IdempotencyContext {
  recordId: string;
  /** The resource an earlier run with this key created before it failed: resume it. */
  resourceId: string | null;
}

export type IdempotencyStart =
  { kind: 'run'; context: IdempotencyContext } | { kind: 'replay'; status: number; body: unknown };

/**
 * Replays follow Stripe: the same answer, the shown-once secret of a key or webhook endpoint
 * included (a client that lost the first answer needs it). At rest that secret is never in clear:
 * the stored body holds "[sealed]" in its place and the secrets sit in one AES-256-GCM envelope
 * (a key derived from the seal key, bound to the record), opened only to answer a replay. One that
 * cannot be opened any more (the seal key was dropped, or the row predates sealing) answers 409
 * `idempotency_secret_unavailable`: the resource exists, its secret is not shown twice.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly records: IdempotencyRepository,
    private readonly secrets: IdempotencySecretBox,
  ) {}

  async start(
    scope: string,
    rawKey: string | string[],
    request: { method: string; path: string; body: unknown },
  ): Promise<IdempotencyStart> {
    const parsed = idempotencyKeySchema.safeParse(rawKey);
    if (!parsed.success) {
      throw new DomainError(ErrorCode.ValidationFailed, 'Idempotency-Key header is invalid', {
        issues: [{ path: 'Idempotency-Key', rule: parsed.error.issues[0]?.code ?? 'invalid' }],
      });
    }
    const requestHash = createHash('sha256')
      .update(`${request.method}\n${request.path}\n${canonicalJson(request.body)}`)
      .digest('hex');
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const claim = await this.records.claim({
        scope,
        key: parsed.data,
        requestHash,
        method: request.method,
        path: request.path,
        ttlMs: IDEMPOTENCY_TTL_MS,
        staleLockMs: STALE_LOCK_MS,
      });
      switch (claim.kind) {
        case 'owner':
          return {
            kind: 'run',
            context: { recordId: claim.recordId, resourceId: claim.resourceId },
          };
        case 'replay':
          return {
            kind: 'replay',
            status: claim.status,
            body: this.reveal(claim.recordId, claim.body, claim.sealedSecrets),
          };
        case 'mismatch':
          throw new DomainError(
            ErrorCode.IdempotencyKeyReused,
            'this Idempotency-Key was used with another method, path or body',
          );
        case 'in-progress':
          if (Date.now() >= deadline) {
            throw new DomainError(
              ErrorCode.IdempotencyRequestInProgress,
              'a request with this Idempotency-Key is still in progress; retry shortly',
            );
          }
          await sleep(POLL_MS);
      }
    }
  }

  complete(context: IdempotencyContext, status: number, body: unknown): Promise<void> {
    const withheld = withholdSecrets(body);
    const sealed =
      withheld.secrets.length > 0
        ? this.secrets.seal(JSON.stringify(withheld.secrets), context.recordId)
        : null;
    return this.records.complete(context.recordId, status, withheld.body, sealed);
  }

  private reveal(recordId: string, body: unknown, sealed: string | null): unknown {
    if (sealed !== null) {
      try {
        return restoreSecrets(
          body,
          JSON.parse(this.secrets.open(sealed, recordId)) as WithheldSecret[],
        );
      } catch {
        throw secretUnavailable();
      }
    }
    if (hasWithheldSecret(body)) throw secretUnavailable();
    return body;
  }

  /** Nothing to replay: the key is forgotten, or kept for resuming what the request created. */
  release(context: IdempotencyContext): Promise<void> {
    return this.records.release(context.recordId);
  }
}

function secretUnavailable(): DomainError {
  return new DomainError(
    ErrorCode.IdempotencySecretUnavailable,
    'the first answer to this Idempotency-Key held a secret that is shown once and cannot be ' +
      'shown again; the resource exists: revoke it if need be and create a new one',
  );
}
