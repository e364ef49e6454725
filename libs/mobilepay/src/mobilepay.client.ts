import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Secret } from '@app/config';
import { MobilePayError } from './mobilepay-error';
import type {
  CreateCancelRequest,
  CreateCancelResponse,
  CreateCaptureRequest,
  CreateCaptureResponse,
  CreateMerchantRequest,
  CreateRefundRequest,
  CreateRefundResponse,
  InitiatePaymentRequest,
  InitiatePaymentResponse,
  MerchantCreateResponse,
  UpdateAuthorizationAttemptRequest,
} from './mobilepay-api.types';

export interface MobilePayClientOptions {
  apiUrl: string;
  clientId: string;
  clientSecret: Secret;
  /** Guide: no answer within 2 s → try again. */
  timeoutMs: number;
  /** Guide: HTTP > 299 → wait 1 s, then try again. */
  retryDelayMs: number;
  /** Guide: 2 by default, never more than 6. */
  retries: number;
}

export interface CallOptions {
  correlationId?: string;
  /**
   * MobilePay error codes that mean "not yet, try again later" for this request (2101 for an
   * invalidation): retried like a server error, inside the same budget.
   */
  retryOnCodes?: readonly string[];
}

/** Hard ceiling from the guide: more retries would worsen an incident on MobilePay's side. */
const MAX_RETRIES = 6;

/**
 * Typed client for MobilePay Online with the guide's retry policy, the one retry budget of every
 * request: no answer within the timeout → try again at once; HTTP > 299 that may pass (5xx, 408,
 * 429, or a code the caller names) → wait the retry delay, then try again; at most `retries`
 * retries, never more than 6. Every retry repeats the exact same request (same identifiers), so
 * MobilePay's idempotency makes retries safe. Callers never retry a request on top of this: work
 * that must outlive the budget is delivered again later, as a new request with its own budget.
 */
export class MobilePayClient {
  private readonly retries: number;

  constructor(private readonly options: MobilePayClientOptions) {
    this.retries = Math.min(Math.max(options.retries, 0), MAX_RETRIES);
  }

  createMerchant(body: CreateMerchantRequest, opts?: CallOptions): Promise<MerchantCreateResponse> {
    return this.call('POST', '/api/v1/merchants', body, opts);
  }

  deleteMerchant(merchantId: string, opts?: CallOptions): Promise<void> {
    return this.call('DELETE', `/api/v1/merchants/${enc(merchantId)}`, undefined, opts);
  }

  initiatePayment(
    body: InitiatePaymentRequest,
    opts?: CallOptions,
  ): Promise<InitiatePaymentResponse> {
    return this.call('POST', '/api/v3/payments', body, opts);
  }

  patchAuthorizationAttempt(
    paymentId: string,
    attemptId: string,
    body: UpdateAuthorizationAttemptRequest,
    opts?: CallOptions,
  ): Promise<void> {
    const path = `/api/v1/payments/${enc(paymentId)}/authorizationattempts/${enc(attemptId)}`;
    return this.call('PATCH', path, body, opts);
  }

  reportCapture(paymentId: string, body: CreateCaptureRequest, opts?: CallOptions) {
    return this.call<CreateCaptureResponse>(
      'POST',
      `/api/v1/payments/${enc(paymentId)}/captures`,
      body,
      opts,
    );
  }

  reportCancel(paymentId: string, body: CreateCancelRequest, opts?: CallOptions) {
    return this.call<CreateCancelResponse>(
      'POST',
      `/api/v1/payments/${enc(paymentId)}/cancels`,
      body,
      opts,
    );
  }

  reportRefund(paymentId: string, body: CreateRefundRequest, opts?: CallOptions) {
    return this.call<CreateRefundResponse>(
      'POST',
      `/api/v1/payments/${enc(paymentId)}/refunds`,
      body,
      opts,
    );
  }

  /** The longest one call can take with its whole budget: every try timing out, every pause. */
  get budgetMs(): number {
    return (this.retries + 1) * this.options.timeoutMs + this.retries * this.options.retryDelayMs;
  }

  invalidatePayment(paymentId: string, opts?: CallOptions): Promise<void> {
    return this.call('PUT', `/api/v1/payments/${enc(paymentId)}/invalidate`, undefined, opts);
  }

  private async call<T>(
    method: string,
    path: string,
    body: unknown,
    opts?: CallOptions,
  ): Promise<T> {
    const correlationId = opts?.correlationId ?? randomUUID();
    let lastError: MobilePayError | undefined;
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      try {
        return await this.once<T>(method, path, body, correlationId);
      } catch (error) {
        if (!(error instanceof MobilePayError)) throw error;
        const retryable = error.transient || retryableCode(error, opts?.retryOnCodes);
        if (!retryable) throw error;
        lastError = error;
        // A timeout already waited; an error answer waits before the next try, as the guide asks.
        if (error.status !== undefined && attempt < this.retries)
          await sleep(this.options.retryDelayMs);
      }
    }
    throw lastError ?? new MobilePayError('MobilePay call failed', undefined, undefined, true);
  }

  private async once<T>(
    method: string,
    path: string,
    body: unknown,
    correlationId: string,
  ): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.options.apiUrl}${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          CorrelationId: correlationId,
          'x-ibm-client-id': this.options.clientId,
          'x-ibm-client-secret': this.options.clientSecret.reveal(),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      const reason =
        error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'failed';
      throw new MobilePayError(`${method} ${path} ${reason}`, undefined, undefined, true);
    }
    const text = await response.text().catch(() => '');
    if (response.ok) return (text ? JSON.parse(text) : undefined) as T;
    const code = domainCode(text);
    const transient = response.status >= 500 || response.status === 408 || response.status === 429;
    throw new MobilePayError(
      `${method} ${path} answered ${response.status}${code ? ` (code ${code})` : ''}`,
      response.status,
      code,
      transient,
    );
  }
}

function retryableCode(error: MobilePayError, codes: readonly string[] | undefined): boolean {
  return error.code !== undefined && !!codes?.includes(error.code);
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function domainCode(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { code?: unknown };
    return typeof parsed.code === 'string' || typeof parsed.code === 'number'
      ? String(parsed.code)
      : undefined;
  } catch {
    return undefined;
  }
}
