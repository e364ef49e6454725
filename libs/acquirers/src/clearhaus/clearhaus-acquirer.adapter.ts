import { Logger, type LoggerService } from '@nestjs/common';
import type {
  AcquirerAdapter,
  AuthorizationOperationRequest,
  AuthorizationOperationResult,
  AuthorizationRequest,
  AuthorizationResult,
  InquiryResult,
  ReversalResult,
} from '../acquirer-adapter';
import { authorizationParams } from './clearhaus-authorization-params';
import { basicAuth, ClearhausSigner, encodeForm, type ClearhausParams } from './clearhaus-form';
import { clearhausMeaning } from './clearhaus-status-codes';

export interface ClearhausAcquirerOptions {
  /** `https://gateway.clearhaus.com`, or the test endpoint / the sandbox. */
  baseUrl: string;
  /** The merchant account's API key (HTTP Basic user name). */
  apiKey: string;
  signingApiKey: string;
  signingKeyPem: string;
  timeoutMs: number;
  /** How long a request we gave up on is still awaited, so that a late approval can be voided. */
  lateAnswerMs: number;
  logger?: Pick<LoggerService, 'warn' | 'error'>;
}

/** Clearhaus' VAT number, as MobilePay's PSP guide lists it (acquirerVatNumber). */
export const CLEARHAUS_VAT_NUMBER = 'DK33749996';

interface ClearhausAnswer {
  id?: string;
  status?: { code?: number; message?: string };
  amount?: number;
  currency?: string;
}

type Sent =
  | { kind: 'answer'; httpStatus: number; body: ClearhausAnswer | undefined }
  | { kind: 'not-sent'; error: string }
  | { kind: 'unknown'; error: string; late?: Promise<Sent> };

/** What this process knows about an authorization request, by our reference. */
type Known =
  | { state: 'in-flight' }
  | { state: 'not-sent' }
  | { state: 'answered'; result: AuthorizationResult }
  /** Sent, no answer yet; `abandoned` once the attempt was given up on (a late approval is voided). */
  | { state: 'awaiting-late-answer'; abandoned: boolean };

const REMEMBERED = 10_000;

/**
 * Clearhaus Transaction API, payment method `mobilepayonline` (PAN and expiry from the card-data
 * callback, or the token PAN with the whole token callback as `payment_token`), signed with the
 * partner's RSA key (signing is required for this method), HTTP Basic with the merchant's API key.
 *
 * Unknown outcomes. Clearhaus has no idempotency key and no lookup by our `reference`: the only
 * way to find an authorization is `GET /authorizations/:id`, and the id comes in the very answer
 * that was lost. So:
 * - a request that provably never left (connection refused, no such host) may be sent again;
 * - a request sent without an answer is never sent again: an inquiry for it is `unresolvable`,
 *   the worker fails the attempt at once (PATCH 3000) and flags it for reconciliation;
 * - the answer is still awaited for `lateAnswerMs`: arriving before the inquiry, it is used;
 *   arriving after, an approval (or a 50000 one, which Clearhaus lets us void) is voided by its id;
 * - an answer from another process (crash, another pod) is unknowable here: `unresolvable` too.
 * Captures, refunds and voids are addressed by the Clearhaus authorization id and are not
 * idempotent either: their callers never repeat one whose answer was lost.
 */
export class ClearhausAcquirerAdapter implements AcquirerAdapter {
  readonly name = 'clearhaus';
  readonly vatNumber = CLEARHAUS_VAT_NUMBER;
  readonly supportsNetworkTokens = true;
  readonly addressedByAcquirerId = true;
  private readonly signer: ClearhausSigner;
  private readonly known = new Map<string, Known>();
  private readonly logger: Pick<LoggerService, 'warn' | 'error'>;

  constructor(private readonly options: ClearhausAcquirerOptions) {
    this.signer = new ClearhausSigner(options.signingApiKey, options.signingKeyPem);
    this.logger = options.logger ?? new Logger('ClearhausAcquirer');
  }

  async authorize(request: AuthorizationRequest): Promise<AuthorizationResult> {
    if (request.card.kind === 'network-token' && !request.card.paymentToken) {
      return declined('INVALID_REQUEST', null, 'the token callback is missing (payment_token)');
    }
    this.remember(request.reference, { state: 'in-flight' });
    const apiKey = this.options.apiKey;
    const sent = await this.post('/authorizations', authorizationParams(request), apiKey);
    if (sent.kind === 'not-sent') {
      this.remember(request.reference, { state: 'not-sent' });
      return sent;
    }
    if (sent.kind === 'unknown') {
      this.remember(request.reference, { state: 'awaiting-late-answer', abandoned: false });
      if (sent.late) this.awaitLate(request, sent.late, apiKey);
      return { kind: 'unknown', error: sent.error };
    }
    const result = this.interpret(sent, request);
    this.remember(request.reference, { state: 'answered', result });
    return result;
  }

  /** Only what this process saw can be told; everything else is unresolvable (see above). */
  inquire(reference: string): Promise<InquiryResult> {
    const known = this.known.get(reference);
    switch (known?.state) {
      case 'answered':
        return Promise.resolve(known.result);
      case 'not-sent':
        return Promise.resolve({ kind: 'not-found' });
      case 'in-flight':
        return Promise.resolve({ kind: 'unknown', error: 'the request is still on its way' });
      case 'awaiting-late-answer':
        known.abandoned = true;
        return Promise.resolve({
          kind: 'unresolvable',
          error: 'Clearhaus did not answer and cannot be asked by reference',
        });
      case undefined:
        return Promise.resolve({
          kind: 'unresolvable',
          error: 'no answer seen by this process; Clearhaus cannot be asked by reference',
        });
    }
  }

  /** `authorizationId`: the Clearhaus id (this adapter is addressed by it). */
  async reverse(authorizationId: string): Promise<ReversalResult> {
    const sent = await this.post(
      `/authorizations/${encodeURIComponent(authorizationId)}/voids`,
      [],
      this.options.apiKey,
    );
    if (sent.kind !== 'answer') return { kind: 'failed', error: `void: ${sent.error}` };
    if (sent.httpStatus === 404) return { kind: 'not-found' };
    const code = sent.body?.status?.code;
    if (code === 20000) return { kind: 'reversed' };
    return { kind: 'failed', error: `void refused: ${describeStatus(sent)}` };
  }

  captureAuthorization(
    request: AuthorizationOperationRequest,
  ): Promise<AuthorizationOperationResult> {
    return this.operate('captures', request, [['amount', request.amount.toString()]]);
  }

  refundAuthorization(
    request: AuthorizationOperationRequest,
  ): Promise<AuthorizationOperationResult> {
    return this.operate('refunds', request, [['amount', request.amount.toString()]]);
  }

  /** A void releases the whole reservation: Clearhaus has no partial void. */
  cancelAuthorization(
    request: AuthorizationOperationRequest,
  ): Promise<AuthorizationOperationResult> {
    return this.operate('voids', request, []);
  }

  private async operate(
    path: 'captures' | 'refunds' | 'voids',
    request: AuthorizationOperationRequest,
    params: ClearhausParams,
  ): Promise<AuthorizationOperationResult> {
    const url = `/authorizations/${encodeURIComponent(request.authorizationReference)}/${path}`;
    const sent = await this.post(url, params, this.options.apiKey);
    if (sent.kind !== 'answer') return { kind: sent.kind, error: `${path}: ${sent.error}` };
    if (sent.httpStatus === 404)
      return { kind: 'declined', reason: 'authorization not found at Clearhaus' };
    if (sent.httpStatus >= 500)
      return { kind: 'unknown', error: `${path}: Clearhaus answered ${sent.httpStatus}` };
    const code = sent.body?.status?.code;
    if (code === undefined) {
      return sent.httpStatus < 300
        ? { kind: 'unknown', error: `${path}: the answer could not be read` }
        : { kind: 'declined', reason: `Clearhaus answered ${sent.httpStatus}` };
    }
    if (code === 20000) return { kind: 'approved', acquirerReference: sent.body?.id ?? null };
    return { kind: 'declined', reason: describeStatus(sent) };
  }

  private interpret(
    sent: Extract<Sent, { kind: 'answer' }>,
    request: AuthorizationRequest,
  ): AuthorizationResult {
    if (sent.httpStatus === 401) {
      this.logger.error(
        { reference: request.reference },
        'Clearhaus refused the API key (401): check CLEARHAUS_API_KEY',
      );
      return declined('INVALID_REQUEST', null, 'Clearhaus refused the API key');
    }
    if (sent.httpStatus >= 500)
      return { kind: 'unknown', error: `Clearhaus answered ${sent.httpStatus}` };
    const code = sent.body?.status?.code;
    if (typeof code !== 'number') {
      return sent.httpStatus < 300
        ? { kind: 'unknown', error: 'the Clearhaus answer could not be read' }
        : declined('INVALID_REQUEST', null, `Clearhaus answered ${sent.httpStatus}`);
    }
    const id = sent.body?.id ?? null;
    const meaning = clearhausMeaning(code);
    if (code === 40000 && /signature/i.test(sent.body?.status?.message ?? '')) {
      this.logger.error(
        { reference: request.reference, status: describeStatus(sent) },
        'Clearhaus refused the request signature: check CLEARHAUS_SIGNING_API_KEY and CLEARHAUS_SIGNING_KEY_FILE',
      );
    }
    switch (meaning.kind) {
      case 'approved': {
        const { amount, currency } = sent.body ?? {};
        const differs =
          (amount !== undefined && BigInt(amount) !== request.amount) ||
          (currency !== undefined && currency !== request.currency);
        if (!id || differs)
          return { kind: 'unknown', error: 'Clearhaus approved something else than asked' };
        return {
          kind: 'approved',
          acquirerReference: id,
          amount: request.amount,
          currency: request.currency,
        };
      }
      case 'soft-declined':
        return { kind: 'soft-declined', acquirerReference: id };
      case 'declined':
        return declined(meaning.reason, id, describeStatus(sent));
    }
  }

  /** The answer to a request we reported unknown: used by a later inquiry, or voided when too late. */
  private awaitLate(request: AuthorizationRequest, late: Promise<Sent>, apiKey: string): void {
    void late.then(async (sent) => {
      const known = this.known.get(request.reference);
      if (known?.state !== 'awaiting-late-answer' || sent.kind !== 'answer') return;
      const code = sent.body?.status?.code;
      const id = sent.body?.id;
      if (!known.abandoned) {
        this.remember(request.reference, {
          state: 'answered',
          result: this.interpret(sent, request),
        });
        return;
      }
      if (!id || (code !== 20000 && code !== 50000)) return;
      const voided = await this.post(`/authorizations/${encodeURIComponent(id)}/voids`, [], apiKey);
      const ok = voided.kind === 'answer' && voided.body?.status?.code === 20000;
      this.logger.warn(
        { reference: request.reference, authorizationId: id, voided: ok },
        ok
          ? 'late Clearhaus approval voided'
          : 'late Clearhaus approval could not be voided: reconcile it',
      );
    });
  }

  private async post(path: string, params: ClearhausParams, apiKey: string): Promise<Sent> {
    const body = encodeForm(params);
    const request = fetch(`${this.options.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        authorization: basicAuth(apiKey),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        signature: this.signer.header(body),
      },
      body,
      signal: AbortSignal.timeout(this.options.timeoutMs + this.options.lateAnswerMs),
    }).then(
      async (response): Promise<Sent> => ({
        kind: 'answer',
        httpStatus: response.status,
        body: await readAnswer(response),
      }),
      (error: unknown): Sent => failure(error),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.timeoutMs);
    });
    const first = await Promise.race([request, timeout]);
    clearTimeout(timer);
    if (first === 'timeout')
      return { kind: 'unknown', error: 'Clearhaus did not answer in time', late: request };
    return first;
  }

  private remember(reference: string, known: Known): void {
    this.known.delete(reference);
    this.known.set(reference, known);
    if (this.known.size > REMEMBERED) this.known.delete(this.known.keys().next().value!);
  }
}

function declined(
  reason: Extract<AuthorizationResult, { kind: 'declined' }>['reason'],
  acquirerReference: string | null,
  detail: string,
): AuthorizationResult {
  return { kind: 'declined', reason, acquirerReference, detail };
}

/** "40413 Insufficient funds" plus Clearhaus' message (card-number-like digit runs masked). */
function describeStatus(sent: Extract<Sent, { kind: 'answer' }>): string {
  const code = sent.body?.status?.code;
  if (code === undefined) return `HTTP ${sent.httpStatus}`;
  const message = (sent.body?.status?.message ?? '')
    .replace(/\d{12,19}/g, '[digits]')
    .slice(0, 160);
  return `${code} ${clearhausMeaning(code).description}${message ? `: ${message}` : ''}`;
}

async function readAnswer(response: Response): Promise<ClearhausAnswer | undefined> {
  try {
    const body = await response.json();
    return typeof body === 'object' && body !== null ? body : undefined;
  } catch {
    return undefined;
  }
}

function failure(error: unknown): Sent {
  const code = (error as { cause?: { code?: string } }).cause?.code;
  // Refused or unresolvable: the request never left us, so sending it again cannot double-charge.
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { kind: 'not-sent', error: `Clearhaus unreachable (${code})` };
  }
  const message =
    error instanceof Error
      ? error.name === 'TimeoutError'
        ? 'timed out'
        : error.message
      : 'unknown error';
  return { kind: 'unknown', error: `Clearhaus call failed after sending: ${message}` };
}
