import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { SandboxError } from '../common/sandbox-error';
import { NetworkTokenVaultStore } from '../mobilepay/network-token-vault.store';
import { maskPan } from '../mobilepay/payment-rules';
import { decide } from './acquirer-decision';
import type {
  AcquirerRecord,
  AuthorizationResult,
  OperationKind,
  OperationRecord,
} from './acquirer.store';
import { AcquirerStore } from './acquirer.store';
import { OperationRequestSchema } from './operation-request.schema';
import {
  type AuthorizationRequest,
  AuthorizationRequestSchema,
} from './authorization-request.schema';

/**
 * A REST acquirer: idempotent on `reference` (= `Idempotency-Key`), so a retried request returns
 * the stored result and never authorizes twice; `requests` vs `authorizations` proves it.
 */
@Injectable()
export class AcquirerService {
  private readonly logger = new Logger('AcquirerSimulator');

  constructor(
    private readonly store: AcquirerStore,
    private readonly vault: NetworkTokenVaultStore,
  ) {}

  async authorize(idempotencyKey: string | undefined, body: unknown): Promise<AuthorizationResult> {
    const request = parseRequest(body);
    if (!idempotencyKey)
      throw acquirerError(400, 'MISSING_IDEMPOTENCY_KEY', 'Idempotency-Key header is required');
    if (idempotencyKey !== request.reference) {
      throw acquirerError(400, 'IDEMPOTENCY_KEY_MISMATCH', 'Idempotency-Key must equal reference');
    }
    if (this.store.takeFailure())
      throw acquirerError(503, 'UNAVAILABLE', 'acquirer unavailable (injected)');
    const { actAfterMs } = this.store.currentBehaviour();
    if (actAfterMs > 0) await sleep(actAfterMs);

    const fingerprint = fingerprintOf(request);
    const existing = this.store.get(request.reference);
    let delayMs = this.store.currentBehaviour().delayMs;
    let result: AuthorizationResult;
    if (existing) {
      existing.requests += 1;
      if (existing.fingerprint !== fingerprint) {
        throw acquirerError(
          409,
          'IDEMPOTENCY_CONFLICT',
          'reference reused for a different request',
        );
      }
      result = existing.result;
    } else {
      const decision = decide(request, new Date(), (token) => this.vault.panOf(token));
      result = {
        reference: request.reference,
        acquirerReference: `ACQ-${randomBytes(8).toString('hex').toUpperCase()}`,
        status: decision.status,
        ...(decision.declineCode ? { declineCode: decision.declineCode } : {}),
        amount: request.amount,
        currency: request.currency,
      };
      this.store.save(newRecord(request, result, fingerprint));
      delayMs += decision.responseDelayMs ?? 0;
      this.logger.log(
        `authorization ${request.reference} ${maskedCard(request)} → ${result.status}`,
      );
    }
    if (delayMs > 0) await sleep(delayMs);
    return result;
  }

  inquire(reference: string): AuthorizationResult & { reversed: boolean } {
    if (this.store.currentBehaviour().inquiryUnavailable) {
      throw acquirerError(503, 'UNAVAILABLE', 'inquiry unavailable (injected)');
    }
    const record = this.found(reference);
    return { ...record.result, reversed: record.reversed };
  }

  reverse(reference: string): { reference: string; status: 'REVERSED' } {
    this.found(reference).reversed = true;
    return { reference, status: 'REVERSED' };
  }

  /**
   * Capture, refund or cancel (void the rest) of an approved authorization. Idempotent per
   * operation reference (= Idempotency-Key); amounts ending in 51 are declined, like
   * authorizations; limits: captures + cancels ≤ authorized, refunds ≤ captured.
   */
  async operate(
    kind: OperationKind,
    authorizationReference: string,
    idempotencyKey: string | undefined,
    body: unknown,
  ): Promise<Omit<OperationRecord, 'requests'>> {
    const parsed = OperationRequestSchema.safeParse(body);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(body)'))];
      throw acquirerError(400, 'VALIDATION_FAILED', `invalid fields: ${fields.join(', ')}`);
    }
    const request = parsed.data;
    if (!idempotencyKey)
      throw acquirerError(400, 'MISSING_IDEMPOTENCY_KEY', 'Idempotency-Key header is required');
    if (idempotencyKey !== request.reference) {
      throw acquirerError(400, 'IDEMPOTENCY_KEY_MISMATCH', 'Idempotency-Key must equal reference');
    }
    if (this.store.takeFailure())
      throw acquirerError(503, 'UNAVAILABLE', 'acquirer unavailable (injected)');
    const delayMs = this.store.currentBehaviour().delayMs;
    const existing = this.store.operation(request.reference);
    if (existing) {
      if (
        existing.kind !== kind ||
        existing.amount !== request.amount ||
        existing.authorizationReference !== authorizationReference
      ) {
        throw acquirerError(
          409,
          'IDEMPOTENCY_CONFLICT',
          'reference reused for a different request',
        );
      }
      existing.requests += 1;
      if (delayMs > 0) await sleep(delayMs);
      return withoutRequests(existing);
    }
    const authorization = this.found(authorizationReference);
    if (authorization.result.status !== 'APPROVED' || authorization.reversed) {
      throw acquirerError(422, 'NOT_APPROVED', 'the authorization is not approved (or reversed)');
    }
    const totals = this.store.totalsOf(authorizationReference);
    const declined = request.amount % 100 === 51;
    if (!declined) {
      const uncaptured = authorization.amount - totals.captured - totals.cancelled;
      const refundable = totals.captured - totals.refunded;
      const limit = kind === 'refund' ? refundable : uncaptured;
      if (request.amount > limit) {
        throw acquirerError(422, 'AMOUNT_EXCEEDED', `${kind} of ${request.amount}: ${limit} left`);
      }
      if (kind === 'capture') totals.captured += request.amount;
      if (kind === 'refund') totals.refunded += request.amount;
      if (kind === 'cancel') totals.cancelled += request.amount;
    }
    const operation: OperationRecord = {
      kind,
      reference: request.reference,
      authorizationReference,
      acquirerReference: `ACQ-${randomBytes(8).toString('hex').toUpperCase()}`,
      status: declined ? 'DECLINED' : 'APPROVED',
      amount: request.amount,
      requests: 1,
      at: new Date().toISOString(),
    };
    this.store.saveOperation(operation);
    this.logger.log(
      `${kind} ${request.reference} of ${authorizationReference} → ${operation.status}`,
    );
    if (delayMs > 0) await sleep(delayMs);
    return withoutRequests(operation);
  }

  operations(authorizationReference: string): {
    totals: ReturnType<AcquirerStore['totalsOf']>;
    operations: OperationRecord[];
  } {
    this.found(authorizationReference);
    return {
      totals: { ...this.store.totalsOf(authorizationReference) },
      operations: this.store.operationsOf(authorizationReference),
    };
  }

  records(): Omit<AcquirerRecord, 'fingerprint' | 'result'>[] {
    return this.store.list().map(({ fingerprint: _f, result: _r, ...record }) => record);
  }

  private found(reference: string): AcquirerRecord {
    const record = this.store.get(reference);
    if (!record)
      throw acquirerError(404, 'NOT_FOUND', `no authorization with reference ${reference}`);
    return record;
  }
}

function parseRequest(body: unknown): AuthorizationRequest {
  const parsed = AuthorizationRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  // Issue paths only: a message could echo the card number back.
  const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(body)'))];
  throw acquirerError(400, 'VALIDATION_FAILED', `invalid fields: ${fields.join(', ')}`);
}

function acquirerError(status: number, code: string, message: string): SandboxError {
  return new SandboxError(status, code, message);
}

function maskedCard(request: AuthorizationRequest): string {
  return maskPan(request.card.kind === 'pan' ? request.card.number : request.card.token);
}

function fingerprintOf(request: AuthorizationRequest): string {
  const { merchantId, amount, currency, cardType, card } = request;
  const number = card.kind === 'pan' ? card.number : card.token;
  return createHash('sha256')
    .update(JSON.stringify([merchantId, amount, currency, cardType, card.kind, number]))
    .digest('hex');
}

function newRecord(
  request: AuthorizationRequest,
  result: AuthorizationResult,
  fingerprint: string,
): AcquirerRecord {
  return {
    reference: request.reference,
    requests: 1,
    authorizations: 1,
    amount: request.amount,
    currency: request.currency,
    cardType: request.cardType,
    cardKind: request.card.kind,
    posCode: request.posCode ?? null,
    delegatedAuthentication: request.delegatedAuthentication ?? false,
    threeDS: request.threeDS !== undefined,
    status: result.status,
    maskedCard: maskedCard(request),
    reversed: false,
    fingerprint,
    result,
  };
}

function withoutRequests(operation: OperationRecord): Omit<OperationRecord, 'requests'> {
  const { requests: _requests, ...answer } = operation;
  return answer;
}
