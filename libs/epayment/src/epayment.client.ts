import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Secret } from '@app/config';
import type {
  AccessTokenResponse,
  CreatePaymentRequest,
  CreatePaymentResponse,
  EpaymentAmount,
  GetPaymentResponse,
  ModificationResponse,
  PaymentEvent,
  Problem,
  RegisterWebhookResponse,
} from './epayment-api.types';
import { EpaymentError, problemCode } from './epayment-error';
import { SlidingWindowLimiter } from './sliding-window-limiter';

export interface EpaymentClientOptions {
  /** https://api.vipps.no, https://apitest.vipps.no, or the sandbox. */
  apiUrl: string;
  clientId: string;
  clientSecret: Secret;
  subscriptionKey: Secret;
  pspId: string;
  /** Vipps-System-* headers (at most 30 characters each). */
  system: { name: string; version: string; pluginName: string; pluginVersion: string };
  timeoutMs: number;
  /** Retries of a transient failure (no answer, 5xx, 429) with the same Idempotency-Key. */
  retries: number;
  retryDelayMs: number;
  /** A cached access token is renewed this long before it expires. */
  tokenRefreshMarginMs: number;
  /** Documented: 5 create/capture/cancel/refund per minute per reference + MSN. Excess calls wait. */
  writeLimit: { max: number; windowMs: number };
  /** Longest Retry-After we honour before giving up on a 429. */
  maxRetryAfterMs: number;
}

interface CachedToken {
  value: string;
  renewAt: number;
}

/**
 * Typed client for the ePayment API as a PSP: access tokens cached per MSN until shortly before
 * they expire (one refresh on a 401), the PSP headers on every call, RFC 7807 problems turned into
 * {@link EpaymentError}s with their numeric code, and the per-reference write limit respected by
 * waiting (never by failing). Retries repeat the same Idempotency-Key, so nothing happens twice.
 */
export class EpaymentClient {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pendingTokens = new Map<string, Promise<string>>();
  private readonly writes: SlidingWindowLimiter;

  constructor(private readonly options: EpaymentClientOptions) {
    this.writes = new SlidingWindowLimiter(options.writeLimit.max, options.writeLimit.windowMs);
  }

  createPayment(msn: string, body: CreatePaymentRequest, idempotencyKey: string) {
    return this.write<CreatePaymentResponse>(msn, body.reference, 'POST', '/epayment/v1/payments', {
      body,
      idempotencyKey,
    });
  }

  getPayment(msn: string, reference: string): Promise<GetPaymentResponse> {
    return this.call('GET', `/epayment/v1/payments/${enc(reference)}`, { msn });
  }

  getEvents(msn: string, reference: string): Promise<PaymentEvent[]> {
    return this.call('GET', `/epayment/v1/payments/${enc(reference)}/events`, { msn });
  }

  capture(msn: string, reference: string, amount: EpaymentAmount, idempotencyKey: string) {
    return this.modify(msn, reference, 'capture', { modificationAmount: amount }, idempotencyKey);
  }

  refund(msn: string, reference: string, amount: EpaymentAmount, idempotencyKey: string) {
    return this.modify(msn, reference, 'refund', { modificationAmount: amount }, idempotencyKey);
  }

  /** Releases the whole uncaptured rest; `cancelTransactionOnly` only before authorization. */
  cancel(msn: string, reference: string, idempotencyKey: string, cancelTransactionOnly = false) {
    const body = cancelTransactionOnly ? { cancelTransactionOnly: true } : undefined;
    return this.modify(msn, reference, 'cancel', body, idempotencyKey);
  }

  /** Test environment only: the user approves (here: the card callback fires). */
  forceApprove(
    msn: string,
    reference: string,
    by: { customer: { phoneNumber: string } } | { token: string },
  ): Promise<void> {
    return this.call('POST', `/epayment/v1/test/payments/${enc(reference)}/approve`, {
      msn,
      body: by,
    });
  }

  /** Omit `msn` for a PSP-wide registration that covers every sales unit. */
  registerWebhook(
    url: string,
    events: readonly string[],
    idempotencyKey: string,
    msn?: string,
  ): Promise<RegisterWebhookResponse> {
    return this.call('POST', '/webhooks/v1/webhooks', {
      msn,
      body: { url, events },
      idempotencyKey,
    });
  }

  listWebhooks(
    msn?: string,
  ): Promise<{ webhooks: { id: string; url: string; events: string[] }[] }> {
    return this.call('GET', '/webhooks/v1/webhooks', { msn });
  }

  deleteWebhook(id: string, msn?: string): Promise<void> {
    return this.call('DELETE', `/webhooks/v1/webhooks/${enc(id)}`, { msn });
  }

  private modify(
    msn: string,
    reference: string,
    op: 'capture' | 'refund' | 'cancel',
    body: unknown,
    idempotencyKey: string,
  ): Promise<ModificationResponse> {
    return this.write(msn, reference, 'POST', `/epayment/v1/payments/${enc(reference)}/${op}`, {
      body,
      idempotencyKey,
    });
  }

  private async write<T>(
    msn: string,
    reference: string,
    method: string,
    path: string,
    opts: { body: unknown; idempotencyKey: string },
  ): Promise<T> {
    await this.writes.take(`${msn}:${reference}`);
    return this.call<T>(method, path, { msn, ...opts });
  }

  private async call<T>(
    method: string,
    path: string,
    opts: { msn?: string; body?: unknown; idempotencyKey?: string },
  ): Promise<T> {
    const idempotencyKey = opts.idempotencyKey ?? (method === 'GET' ? undefined : randomUUID());
    let lastError: EpaymentError | undefined;
    let refreshed = false;
    for (let attempt = 0; attempt <= this.options.retries; attempt++) {
      try {
        return await this.once<T>(method, path, { ...opts, idempotencyKey });
      } catch (error) {
        if (!(error instanceof EpaymentError)) throw error;
        if (error.status === 401 && !refreshed) {
          // The token may have been revoked or expired early: one fresh token, same request.
          refreshed = true;
          this.tokens.delete(opts.msn ?? '');
          attempt--;
          continue;
        }
        if (!error.transient) throw error;
        lastError = error;
        if (attempt < this.options.retries) await sleep(this.retryDelay(error));
      }
    }
    throw lastError ?? new EpaymentError(`${method} ${path} failed`, undefined, undefined, true);
  }

  private retryDelay(error: EpaymentError & { retryAfterMs?: number }): number {
    return error.retryAfterMs ?? this.options.retryDelayMs;
  }

  private async once<T>(
    method: string,
    path: string,
    opts: { msn?: string; body?: unknown; idempotencyKey?: string },
  ): Promise<T> {
    const token = await this.accessToken(opts.msn);
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${token}`,
      'ocp-apim-subscription-key': this.options.subscriptionKey.reveal(),
      'psp-id': this.options.pspId,
      ...this.systemHeaders(),
    };
    if (opts.msn) headers['merchant-serial-number'] = opts.msn;
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.fetch(method, path, headers, opts.body);
    const text = await response.text().catch(() => '');
    if (response.ok) return (text ? JSON.parse(text) : undefined) as T;
    throw this.errorOf(method, path, response, text);
  }

  private async accessToken(msn: string | undefined): Promise<string> {
    const key = msn ?? '';
    const cached = this.tokens.get(key);
    if (cached && Date.now() < cached.renewAt) return cached.value;
    // Concurrent callers share one token request.
    let pending = this.pendingTokens.get(key);
    if (!pending) {
      pending = this.fetchToken(msn).finally(() => this.pendingTokens.delete(key));
      this.pendingTokens.set(key, pending);
    }
    return pending;
  }

  private async fetchToken(msn: string | undefined): Promise<string> {
    // Psp-Id is not sent on the token call; the credentials go in headers and the body is empty.
    const headers: Record<string, string> = {
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret.reveal(),
      'ocp-apim-subscription-key': this.options.subscriptionKey.reveal(),
      ...this.systemHeaders(),
    };
    if (msn) headers['merchant-serial-number'] = msn;
    const response = await this.fetch('POST', '/accesstoken/get', headers, undefined);
    const text = await response.text().catch(() => '');
    if (!response.ok) throw this.errorOf('POST', '/accesstoken/get', response, text);
    const parsed = JSON.parse(text) as AccessTokenResponse;
    const lifetimeMs = Number(parsed.expires_in) * 1000;
    if (!parsed.access_token || !Number.isFinite(lifetimeMs)) {
      throw new EpaymentError('access token answer is malformed', response.status, undefined, true);
    }
    const renewAt = Date.now() + Math.max(lifetimeMs - this.options.tokenRefreshMarginMs, 0);
    this.tokens.set(msn ?? '', { value: parsed.access_token, renewAt });
    return parsed.access_token;
  }

  private async fetch(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: unknown,
  ): Promise<Response> {
    try {
      return await fetch(`${this.options.apiUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      const reason =
        error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'failed';
      throw new EpaymentError(`${method} ${path} ${reason}`, undefined, undefined, true);
    }
  }

  private errorOf(method: string, path: string, response: Response, text: string): EpaymentError {
    const problem = parseProblem(text);
    const code = problemCode(problem);
    const status = response.status;
    const transient = status >= 500 || status === 408 || status === 429 || status === 423;
    const error = new EpaymentError(
      `${method} ${path} answered ${status}${code ? ` (code ${code})` : ''}`,
      status,
      code,
      transient,
      problem,
    ) as EpaymentError & { retryAfterMs?: number };
    const retryAfter = Number(response.headers.get('retry-after'));
    if (status === 429 && Number.isFinite(retryAfter) && retryAfter >= 0) {
      error.retryAfterMs = Math.min(retryAfter * 1000, this.options.maxRetryAfterMs);
    }
    return error;
  }

  private systemHeaders(): Record<string, string> {
    const { name, version, pluginName, pluginVersion } = this.options.system;
    return {
      'vipps-system-name': name.slice(0, 30),
      'vipps-system-version': version.slice(0, 30),
      'vipps-system-plugin-name': pluginName.slice(0, 30),
      'vipps-system-plugin-version': pluginVersion.slice(0, 30),
    };
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function parseProblem(text: string): Problem | undefined {
  try {
    const parsed = JSON.parse(text) as Problem | null;
    return parsed && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
