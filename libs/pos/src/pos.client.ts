import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { LosslessNumber, parse, stringify } from 'lossless-json';
import type { z } from 'zod';
import { decimalToMinor, minorToDecimal } from './pos-amount';
import {
  type CheckIn,
  checkInResponseSchema,
  type CreatePosRequest,
  type CreateRefundInput,
  type InitiatePaymentInput,
  type PaymentDetails,
  paymentIdResponseSchema,
  paymentIdsResponseSchema,
  paymentResponseSchema,
  type PointOfSaleDetails,
  pointOfSaleResponseSchema,
  posIdResponseSchema,
  posIdsResponseSchema,
  type PreparePaymentRequest,
  type ReadyPaymentInput,
  type RefundDetails,
  refundIdResponseSchema,
  refundIdsResponseSchema,
  refundResponseSchema,
  type StoreDetails,
  storeIdsResponseSchema,
  storeResponseSchema,
} from './pos-api.types';
import { PosApiError } from './pos-error';
import type { PosTokenProvider } from './pos-token.provider';

export interface PosClientOptions {
  /** Base URL; paths start with /pos/v10. */
  apiUrl: string;
  ibmClientId: string;
  clientSystemVersion: string;
  /** Tokens locked to the merchant (`merchant_vat` claim) instead of the VAT header per call. */
  merchantLockedTokens: boolean;
  /** Guide: POST/DELETE 2 s. */
  writeTimeoutMs: number;
  /** Guide: GET 0.5 s, polling or not. */
  readTimeoutMs: number;
  /** Guide: 2 suggested, 5 at most. */
  retries: number;
  /** First back-off step, doubled per retry, with jitter. */
  retryDelayMs: number;
  /** A longer `Retry-After` is not waited out inside a call: the error goes to the caller. */
  maxRetryAfterMs: number;
}

/** On whose behalf a call is made. */
export interface PosCallContext {
  merchantVat: string;
  correlationId?: string;
}

/**
 * `write`: POST/DELETE; `read`: a one-off GET; `poll`: a GET in a polling loop, tried once
 * (the loop itself waits `pollDelayInMs` or backs off and asks again).
 */
type CallKind = 'write' | 'read' | 'poll';

interface Call {
  kind: CallKind;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  idempotencyKey?: string;
}

const MAX_RETRIES = 5;

/**
 * Typed client for MobilePay PoS v10 with the guide's error handling: timeouts per call kind,
 * retries of network and server errors with the same idempotency key, `Retry-After` respected,
 * and exact decimal amounts on the wire (minor units on our side).
 */
export class PosClient {
  private readonly retries: number;

  constructor(
    private readonly options: PosClientOptions,
    private readonly tokens: PosTokenProvider,
  ) {
    this.retries = Math.min(Math.max(options.retries, 0), MAX_RETRIES);
  }

  // ── Stores ──────────────────────────────────────────────────────────────────────────────
  async queryStores(
    ctx: PosCallContext,
    filter: { merchantBrandId?: string; merchantLocationId?: string } = {},
  ): Promise<string[]> {
    const call: Call = { kind: 'read', method: 'GET', path: '/pos/v10/stores', query: filter };
    return (await this.send(ctx, call, storeIdsResponseSchema)).storeIds;
  }

  getStore(ctx: PosCallContext, storeId: string): Promise<StoreDetails> {
    const path = `/pos/v10/stores/${enc(storeId)}`;
    return this.send(ctx, { kind: 'read', method: 'GET', path }, storeResponseSchema);
  }

  // ── Points of sale ──────────────────────────────────────────────────────────────────────
  async createPointOfSale(
    ctx: PosCallContext,
    body: CreatePosRequest,
    idempotencyKey: string,
  ): Promise<string> {
    const call: Call = {
      kind: 'write',
      method: 'POST',
      path: '/pos/v10/pointofsales',
      body,
      idempotencyKey,
    };
    return (await this.send(ctx, call, posIdResponseSchema)).posId;
  }

  getPointOfSale(ctx: PosCallContext, posId: string): Promise<PointOfSaleDetails> {
    const path = `/pos/v10/pointofsales/${enc(posId)}`;
    return this.send(ctx, { kind: 'read', method: 'GET', path }, pointOfSaleResponseSchema);
  }

  async deletePointOfSale(ctx: PosCallContext, posId: string): Promise<void> {
    const path = `/pos/v10/pointofsales/${enc(posId)}`;
    await this.send(ctx, { kind: 'write', method: 'DELETE', path });
  }

  /** At most one result for a beacon id or a merchantPosId. */
  async queryPointsOfSale(
    ctx: PosCallContext,
    filter: { storeId?: string; beaconId?: string; merchantPosId?: string },
  ): Promise<string[]> {
    const call: Call = {
      kind: 'read',
      method: 'GET',
      path: '/pos/v10/pointofsales',
      query: filter,
    };
    return (await this.send(ctx, call, posIdsResponseSchema)).posIds;
  }

  getCheckIn(ctx: PosCallContext, posId: string, kind: 'read' | 'poll' = 'read'): Promise<CheckIn> {
    const path = `/pos/v10/pointofsales/${enc(posId)}/checkin`;
    return this.send(ctx, { kind, method: 'GET', path }, checkInResponseSchema);
  }

  // ── Payments ────────────────────────────────────────────────────────────────────────────
  async initiatePayment(
    ctx: PosCallContext,
    input: InitiatePaymentInput,
    idempotencyKey: string,
  ): Promise<string> {
    const body = { ...input, amount: decimal(input.amount, input.currencyCode) };
    const call: Call = {
      kind: 'write',
      method: 'POST',
      path: '/pos/v10/payments',
      body,
      idempotencyKey,
    };
    return (await this.send(ctx, call, paymentIdResponseSchema)).paymentId;
  }

  async preparePayment(
    ctx: PosCallContext,
    body: PreparePaymentRequest,
    idempotencyKey: string,
  ): Promise<string> {
    const call: Call = {
      kind: 'write',
      method: 'POST',
      path: '/pos/v10/payments/prepare',
      body,
      idempotencyKey,
    };
    return (await this.send(ctx, call, paymentIdResponseSchema)).paymentId;
  }

  async readyPayment(ctx: PosCallContext, paymentId: string, input: ReadyPaymentInput) {
    const body = { ...input, amount: decimal(input.amount, input.currencyCode) };
    const path = `/pos/v10/payments/${enc(paymentId)}/ready`;
    await this.send(ctx, { kind: 'write', method: 'POST', path, body });
  }

  async getPayment(
    ctx: PosCallContext,
    paymentId: string,
    kind: 'read' | 'poll' = 'read',
  ): Promise<PaymentDetails> {
    const path = `/pos/v10/payments/${enc(paymentId)}`;
    const wire = await this.send(ctx, { kind, method: 'GET', path }, paymentResponseSchema);
    const amount =
      wire.amount != null && wire.currencyCode
        ? decimalToMinor(wire.amount, wire.currencyCode)
        : null;
    return { ...wire, amount };
  }

  /** Active and reserved payments, or captured ones with `state: 'Captured'`. */
  async queryPayments(
    ctx: PosCallContext,
    filter: { posId?: string; orderId?: string; state?: 'Captured' },
  ): Promise<string[]> {
    const call: Call = { kind: 'read', method: 'GET', path: '/pos/v10/payments', query: filter };
    return (await this.send(ctx, call, paymentIdsResponseSchema)).paymentIds;
  }

  async capturePayment(
    ctx: PosCallContext,
    paymentId: string,
    amount: bigint,
    currency: string,
  ): Promise<void> {
    const path = `/pos/v10/payments/${enc(paymentId)}/capture`;
    const body = { amount: decimal(amount, currency) };
    await this.send(ctx, { kind: 'write', method: 'POST', path, body });
  }

  async cancelPayment(ctx: PosCallContext, paymentId: string): Promise<void> {
    const path = `/pos/v10/payments/${enc(paymentId)}/cancel`;
    await this.send(ctx, { kind: 'write', method: 'POST', path });
  }

  // ── Refunds ─────────────────────────────────────────────────────────────────────────────
  async createRefund(
    ctx: PosCallContext,
    input: CreateRefundInput,
    idempotencyKey: string,
  ): Promise<string> {
    const body = { ...input, amount: decimal(input.amount, input.currencyCode) };
    const call: Call = {
      kind: 'write',
      method: 'POST',
      path: '/pos/v10/refunds',
      body,
      idempotencyKey,
    };
    return (await this.send(ctx, call, refundIdResponseSchema)).refundId;
  }

  async getRefund(
    ctx: PosCallContext,
    refundId: string,
    kind: 'read' | 'poll' = 'read',
  ): Promise<RefundDetails> {
    const path = `/pos/v10/refunds/${enc(refundId)}`;
    const wire = await this.send(ctx, { kind, method: 'GET', path }, refundResponseSchema);
    return { ...wire, amount: decimalToMinor(wire.amount, wire.currencyCode) };
  }

  async queryRefunds(ctx: PosCallContext, paymentId: string): Promise<string[]> {
    const call: Call = {
      kind: 'read',
      method: 'GET',
      path: '/pos/v10/refunds',
      query: { paymentId },
    };
    return (await this.send(ctx, call, refundIdsResponseSchema)).refundIds;
  }

  async captureRefund(ctx: PosCallContext, refundId: string): Promise<void> {
    const path = `/pos/v10/refunds/${enc(refundId)}/capture`;
    await this.send(ctx, { kind: 'write', method: 'POST', path });
  }

  async cancelRefund(ctx: PosCallContext, refundId: string): Promise<void> {
    const path = `/pos/v10/refunds/${enc(refundId)}/cancel`;
    await this.send(ctx, { kind: 'write', method: 'POST', path });
  }

  // ── Transport ───────────────────────────────────────────────────────────────────────────
  private async send(ctx: PosCallContext, call: Call): Promise<unknown>;
  private async send<S extends z.ZodType>(
    ctx: PosCallContext,
    call: Call,
    schema: S,
  ): Promise<z.infer<S>>;
  private async send(ctx: PosCallContext, call: Call, schema?: z.ZodType): Promise<unknown> {
    const correlationId = ctx.correlationId ?? randomUUID();
    const retries = call.kind === 'poll' ? 0 : this.retries;
    let refreshedToken = false;
    for (let attempt = 0; ; attempt++) {
      try {
        const text = await this.once(ctx, call, correlationId);
        if (!schema) return undefined;
        const parsed = schema.safeParse(parseJson(text));
        if (!parsed.success) {
          throw new PosApiError(
            `${call.method} ${call.path}: malformed answer`,
            200,
            undefined,
            false,
          );
        }
        return parsed.data;
      } catch (error) {
        if (!(error instanceof PosApiError)) throw error;
        if (error.status === 401 && !refreshedToken) {
          // The token may have been revoked or expired early: one fresh token, then give up.
          refreshedToken = true;
          this.tokens.invalidate(this.tokenScope(ctx));
          attempt--;
          continue;
        }
        if (!error.transient || attempt >= retries) throw error;
        if (error.retryAfterMs !== undefined && error.retryAfterMs > this.options.maxRetryAfterMs) {
          throw error;
        }
        await sleep(error.retryAfterMs ?? this.backoff(attempt));
      }
    }
  }

  private async once(ctx: PosCallContext, call: Call, correlationId: string): Promise<string> {
    const scope = this.tokenScope(ctx);
    const token = await this.tokens.token(scope);
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${token}`,
      'x-ibm-client-id': this.options.ibmClientId,
      'x-mobilepay-client-system-version': this.options.clientSystemVersion,
      'correlation-id': correlationId,
    };
    if (!scope) headers['x-mobilepay-merchant-vat-number'] = ctx.merchantVat;
    if (call.idempotencyKey) headers['x-mobilepay-idempotency-key'] = call.idempotencyKey;
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const label = `${call.method} ${call.path}`;
    let response: Response;
    try {
      response = await fetch(this.url(call), {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : stringify(call.body),
        signal: AbortSignal.timeout(
          call.kind === 'write' ? this.options.writeTimeoutMs : this.options.readTimeoutMs,
        ),
      });
    } catch (error) {
      const reason =
        error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'failed';
      throw new PosApiError(`${label} ${reason}`, undefined, undefined, true);
    }
    const text = await response.text().catch(() => '');
    if (response.ok) return text;
    if (response.status === 401) this.tokens.invalidate(scope, token);
    const code = errorCode(text);
    throw new PosApiError(
      `${label} answered ${response.status}${code ? ` (code ${code})` : ''}`,
      response.status,
      code,
      response.status >= 500 || response.status === 429 || response.status === 408,
      response.status === 429 ? retryAfterMs(response.headers.get('retry-after')) : undefined,
    );
  }

  private tokenScope(ctx: PosCallContext): string | undefined {
    return this.options.merchantLockedTokens ? ctx.merchantVat : undefined;
  }

  private url(call: Call): string {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) query.set(key, value);
    }
    const search = query.size > 0 ? `?${query.toString()}` : '';
    return `${this.options.apiUrl}${call.path}${search}`;
  }

  /** Exponential back-off with full jitter: retries never arrive in lockstep. */
  private backoff(attempt: number): number {
    const ceiling = this.options.retryDelayMs * 2 ** attempt;
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }
}

/** A minor-unit amount as the exact JSON number PoS expects ("12.50", unquoted). */
function decimal(minor: bigint, currency: string): LosslessNumber {
  return new LosslessNumber(minorToDecimal(minor, currency));
}

/** Every JSON number stays its text; the response schemas convert what they need. */
function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return parse(text, null, (number) => number);
  } catch {
    return undefined;
  }
}

function errorCode(text: string): string | undefined {
  const body = parseJson(text) as { code?: unknown } | undefined;
  const code = body?.code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

/** `Retry-After`: delta-seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}
