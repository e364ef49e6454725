import { randomInt } from 'node:crypto';
import { Logger, type LoggerService } from '@nestjs/common';
import type {
  AcquirerAdapter,
  AuthorizationOperationRequest,
  AuthorizationOperationResult,
  AuthorizationRequest,
  AuthorizationResult,
  InquiryOptions,
  InquiryResult,
  ReversalResult,
} from '../acquirer-adapter';
import { inquiryTimeout } from '../acquirer-adapter';
import type { IsoMessage } from './iso8583-codec';
import { describeError, Iso8583Connection, type Exchange } from './iso8583-connection';
import { NETS_MESSAGE_SPEC } from './iso8583-field-spec';
import {
  adviceRequest,
  authorizationRequest,
  type Envelope,
  inquiryRequest,
  type OriginalMessage,
  reversalRequest,
} from './iso8583-messages';
import {
  authorizationOutcome,
  type Expected,
  inquiryOutcome,
  type Iso8583OperationOutcome,
  operationOutcome,
} from './iso8583-replies';

export interface Iso8583AcquirerOptions {
  host: string;
  port: number;
  /** Per request, connecting included; a request written and unanswered by then is `unknown`. */
  timeoutMs: number;
  /** Reported to MobilePay as acquirerVatNumber (Nets: DK20016175). */
  vatNumber: string;
  /** Field 41, up to 8 characters. */
  terminalId: string;
  /** Default: the smaller of `timeoutMs` and 2 s. */
  connectTimeoutMs?: number;
  /** Default: 100 ms doubling up to 5 s. */
  reconnect?: { initialMs: number; maxMs: number };
  clock?: () => Date;
  logger?: Pick<LoggerService, 'warn'>;
}

/** Field 90 needs the original STAN and time; kept for the recent past, zero-filled after it. */
const REMEMBERED_ORIGINALS = 10_000;

/**
 * Nets-style ISO 8583 over one persistent TCP connection (2-byte length-prefixed frames):
 * 0100 authorization, 0600 status inquiry by RRN, 0400 reversal, 0220 capture/refund advice.
 * Field 37 (RRN) is derived from our reference, so any pod can inquire, reverse or capture.
 */
export class Iso8583AcquirerAdapter implements AcquirerAdapter {
  readonly name = 'nets-iso8583';
  readonly supportsNetworkTokens = true;
  readonly vatNumber: string;
  private readonly connection: Iso8583Connection;
  private readonly clock: () => Date;
  private stan = randomInt(1, 1_000_000);
  private readonly originals = new Map<string, OriginalMessage & { authorized: Expected }>();

  constructor(private readonly options: Iso8583AcquirerOptions) {
    this.vatNumber = options.vatNumber;
    this.clock = options.clock ?? (() => new Date());
    this.connection = new Iso8583Connection({
      host: options.host,
      port: options.port,
      spec: NETS_MESSAGE_SPEC,
      connectTimeoutMs: options.connectTimeoutMs ?? Math.min(options.timeoutMs, 2_000),
      reconnect: options.reconnect ?? { initialMs: 100, maxMs: 5_000 },
      logger: options.logger ?? new Logger('Iso8583Acquirer'),
    });
  }

  async authorize(request: AuthorizationRequest): Promise<AuthorizationResult> {
    const env = this.envelope(request.acquirerMerchantId);
    // Before sending: a lost answer is exactly when the reversal needs the original's STAN.
    this.remember(request.reference, env, request);
    const exchange = await this.send(() => authorizationRequest(request, env));
    if (exchange.kind !== 'reply') return exchange;
    return authorizationOutcome(exchange.message, request);
  }

  /** Never `not-sent`: an inquiry that did not happen tells nothing about the authorization. */
  async inquire(
    reference: string,
    expected: Expected,
    options?: InquiryOptions,
  ): Promise<InquiryResult> {
    const exchange = await this.send(
      () => inquiryRequest(reference, expected, this.envelope()),
      inquiryTimeout(this.options.timeoutMs, options),
    );
    if (exchange.kind === 'reply') return inquiryOutcome(exchange.message, expected);
    return { kind: 'unknown', error: `inquiry failed: ${exchange.error}` };
  }

  /**
   * 0400 for the whole authorization; the host finds it by RRN, so a repeat is harmless. The
   * amount is sent when known (given, or authorized through this instance) and then checked.
   */
  async reverse(reference: string, authorized?: Expected): Promise<ReversalResult> {
    const original = this.originals.get(reference);
    const amount = authorized ?? original?.authorized;
    const exchange = await this.send(() =>
      reversalRequest(reference, amount, original, this.envelope()),
    );
    const outcome =
      exchange.kind === 'reply' ? operationOutcome(exchange.message, amount) : exchange;
    switch (outcome.kind) {
      case 'done':
        return { kind: 'reversed' };
      case 'not-found':
        return { kind: 'not-found' };
      case 'rejected':
        return { kind: 'failed', error: `reversal refused (${outcome.responseCode})` };
      case 'not-sent':
      case 'unknown':
        return { kind: 'failed', error: outcome.error };
    }
  }

  /** 0220 advice, processing code 00; the operation reference (field 48 OP) makes it idempotent. */
  async captureAuthorization(
    request: AuthorizationOperationRequest,
  ): Promise<AuthorizationOperationResult> {
    return this.advise(request, false);
  }

  /** 0220 advice, processing code 20: gives back part or all of what was captured. */
  async refundAuthorization(
    request: AuthorizationOperationRequest,
  ): Promise<AuthorizationOperationResult> {
    return this.advise(request, true);
  }

  /** 0400 partial reversal: releases `amount` of the uncaptured rest. */
  async cancelAuthorization(
    request: AuthorizationOperationRequest,
  ): Promise<AuthorizationOperationResult> {
    const { authorizationReference: reference, amount, currency } = request;
    const release = { id: request.reference, amount, currency };
    const original = this.originals.get(reference);
    const exchange = await this.send(() =>
      reversalRequest(reference, release, original, this.envelope()),
    );
    return operationResult(
      exchange.kind === 'reply' ? operationOutcome(exchange.message, release) : exchange,
    );
  }

  /** Closes the connection; requests still waiting end as `unknown`. */
  close(): Promise<void> {
    return this.connection.close();
  }

  private async advise(
    request: AuthorizationOperationRequest,
    refund: boolean,
  ): Promise<AuthorizationOperationResult> {
    const { authorizationReference: reference, amount, currency } = request;
    const operation = { id: request.reference, amount, currency, refund };
    const original = this.originals.get(reference);
    const exchange = await this.send(() =>
      adviceRequest(reference, operation, original, this.envelope()),
    );
    return operationResult(
      exchange.kind === 'reply' ? operationOutcome(exchange.message, operation) : exchange,
    );
  }

  private async send(
    build: () => IsoMessage,
    timeoutMs = this.options.timeoutMs,
  ): Promise<Exchange> {
    let message: IsoMessage;
    try {
      message = build();
    } catch (error) {
      return { kind: 'not-sent', error: `request cannot be built: ${describeError(error)}` };
    }
    return this.connection.exchange(message, timeoutMs);
  }

  private envelope(acquirerMerchantId?: string): Envelope {
    this.stan = (this.stan % 999_999) + 1;
    return {
      stan: String(this.stan).padStart(6, '0'),
      at: this.clock(),
      terminalId: this.options.terminalId,
      acquirerMerchantId,
    };
  }

  private remember(reference: string, env: Envelope, authorized: Expected): void {
    this.originals.delete(reference);
    const { amount, currency } = authorized;
    this.originals.set(reference, { stan: env.stan, at: env.at, authorized: { amount, currency } });
    if (this.originals.size > REMEMBERED_ORIGINALS) {
      this.originals.delete(this.originals.keys().next().value as string);
    }
  }
}

function operationResult(outcome: Iso8583OperationOutcome): AuthorizationOperationResult {
  switch (outcome.kind) {
    case 'done':
      return { kind: 'approved', acquirerReference: outcome.acquirerReference };
    case 'not-found':
      return { kind: 'declined', reason: 'acquirer holds no such authorization (25)' };
    case 'rejected':
      return {
        kind: 'declined',
        reason: `acquirer refused the operation (${outcome.responseCode})`,
      };
    case 'not-sent':
    case 'unknown':
      return outcome;
  }
}
