import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import type { SandboxConfig } from '@app/config';
import type { GetPaymentResponse, ModificationResponse, PaymentEventName } from '@app/epayment';
import { SANDBOX_CONFIG } from '../sandbox.tokens';
import { SchedulerService } from '../common/scheduler.service';
import { badRequest, conflict, EpaymentProblem, notFound, unauthorized } from './epayment-problem';
import type { SimPayment } from './epayment-sim.model';
import { cancelSchema, createPaymentSchema, modificationSchema } from './epayment-sim.schemas';
import { EpaymentSimStore } from './epayment-sim.store';
import { EpaymentWebhooksService } from './epayment-webhooks.service';

type Headers = Record<string, string | string[] | undefined>;

/**
 * Codes the public sources name are used as named (4010, 4020, 4160, 6060, 6140); the rest of the
 * 6xxx modification family is not published, so these are the simulator's assumptions.
 */
export const SIM_CODES = {
  captureRetryDiffers: 4010,
  idempotencyKeyExists: 4020,
  invalidPaymentMethod: 4160,
  cancelTransactionOnlyAuthorized: 6060,
  /** Assumed: not authorized / nothing left / over the rest. */
  notAuthorized: 6010,
  captureExceeds: 6020,
  refundExceeds: 6090,
  currencyMismatch: 6100,
} as const;

/** The ePayment API as a PSP sees it: access tokens, create, get, events, modifications. */
@Injectable()
export class EpaymentSimService {
  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly store: EpaymentSimStore,
    private readonly webhooks: EpaymentWebhooksService,
    private readonly scheduler: SchedulerService,
  ) {}

  issueToken(headers: Headers) {
    const sim = this.config.epayment;
    if (
      !same(header(headers, 'client_id'), sim.clientId) ||
      !same(header(headers, 'client_secret'), sim.clientSecret) ||
      !same(header(headers, 'ocp-apim-subscription-key'), sim.subscriptionKey)
    ) {
      throw unauthorized('client_id, client_secret or Ocp-Apim-Subscription-Key is wrong');
    }
    const token = randomBytes(24).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    this.store.tokens.set(token, {
      msn: header(headers, 'merchant-serial-number'),
      expiresAt: Date.now() + sim.tokenTtlS * 1000,
    });
    return {
      token_type: 'Bearer',
      expires_in: String(sim.tokenTtlS),
      ext_expires_in: String(sim.tokenTtlS),
      expires_on: String(now + sim.tokenTtlS),
      not_before: String(now),
      resource: '00000002-0000-0000-c000-000000000000',
      access_token: token,
    };
  }

  /** The headers every ePayment call needs; returns the MSN (absent: a PSP-wide call). */
  authenticate(headers: Headers, msnRequired: boolean): string | undefined {
    const sim = this.config.epayment;
    const authorization = header(headers, 'authorization') ?? '';
    const match = /^Bearer (.+)$/.exec(authorization);
    const token = match ? this.store.tokens.get(match[1]) : undefined;
    if (!token || token.expiresAt < Date.now())
      throw unauthorized('access token missing or expired');
    if (!same(header(headers, 'ocp-apim-subscription-key'), sim.subscriptionKey))
      throw unauthorized('Ocp-Apim-Subscription-Key is wrong');
    if (!same(header(headers, 'psp-id'), sim.pspId))
      throw unauthorized('Psp-Id is missing or unknown');
    const msn = header(headers, 'merchant-serial-number');
    if (msn !== undefined && !/^\d{4,6}$/.test(msn))
      throw badRequest('Merchant-Serial-Number must be 4 to 6 digits');
    if (msnRequired && !msn) throw badRequest('Merchant-Serial-Number is required');
    return msn;
  }

  create(headers: Headers, body: unknown, baseUrl: string) {
    const msn = this.authenticate(headers, true)!;
    const key = idempotencyKey(headers, true)!;
    const parsed = parse(createPaymentSchema, body);
    return this.idempotent(msn, key, 'create', body, 201, () => {
      this.writeLimit(msn, parsed.reference);
      if (parsed.paymentMethod.type === 'CARD_PASSTHROUGH' && !parsed.cardPassthrough)
        throw badRequest(
          'cardPassthrough is required with CARD_PASSTHROUGH',
          SIM_CODES.invalidPaymentMethod,
        );
      if (parsed.paymentMethod.type !== 'CARD_PASSTHROUGH' && parsed.cardPassthrough)
        throw badRequest(
          `Invalid payment method type ${parsed.paymentMethod.type}: not valid for CardPassthrough`,
          SIM_CODES.invalidPaymentMethod,
        );
      if (!parsed.cardPassthrough) throw badRequest('only CARD_PASSTHROUGH is simulated');
      const id = this.store.key(msn, parsed.reference);
      if (this.store.payments.has(id)) throw conflict('reference is already used for this MSN');
      const ttl = parsed.expiresAt
        ? Date.parse(parsed.expiresAt) - Date.now()
        : this.config.epayment.paymentTtlMs;
      const payment: SimPayment = {
        msn,
        reference: parsed.reference,
        amount: parsed.amount,
        state: 'CREATED',
        authorized: 0,
        captured: 0,
        cancelled: 0,
        refunded: 0,
        pspReference: parsed.cardPassthrough.pspReference,
        cardCallbackUrl: parsed.cardPassthrough.cardCallbackUrl,
        allowedCardTypes: parsed.cardPassthrough.allowedCardTypes,
        publicEncryptionKeyId: parsed.cardPassthrough.publicEncryptionKeyId,
        userFlow: parsed.userFlow,
        customerInteraction: parsed.customerInteraction ?? 'CUSTOMER_NOT_PRESENT',
        phoneNumber: parsed.customer?.phoneNumber,
        returnUrl: parsed.returnUrl,
        redirectToken: randomBytes(16).toString('hex'),
        createdAt: Date.now(),
        expiresAt: Date.now() + ttl,
        events: [],
        attempts: [],
        unresolved: false,
      };
      this.store.payments.set(id, payment);
      this.record(payment, 'CREATED', parsed.amount.value, key);
      this.scheduler.schedule(`epayment-expiry:${id}`, ttl, () => this.expire(payment));
      const landing = `${baseUrl}/epayment-sim/landing/${encodeURIComponent(parsed.reference)}?token=${payment.redirectToken}`;
      return {
        reference: parsed.reference,
        ...(parsed.userFlow === 'PUSH_MESSAGE' ? {} : { redirectUrl: landing }),
      };
    });
  }

  get(headers: Headers, reference: string): GetPaymentResponse {
    const payment = this.readable(headers, reference);
    return {
      aggregate: aggregate(payment),
      amount: payment.amount,
      state: payment.state,
      paymentMethod: { type: 'CARD_PASSTHROUGH' },
      pspReference: payment.events[0]?.pspReference ?? payment.pspReference,
      reference: payment.reference,
    };
  }

  events(headers: Headers, reference: string) {
    return this.readable(headers, reference).events;
  }

  modify(headers: Headers, reference: string, op: 'capture' | 'refund' | 'cancel', body: unknown) {
    const msn = this.authenticate(headers, true)!;
    const key = idempotencyKey(headers, op !== 'cancel') ?? randomUUID();
    return this.idempotent(msn, key, op, { reference, body }, 200, () => {
      this.writeLimit(msn, reference);
      const payment = this.store.payments.get(this.store.key(msn, reference));
      if (!payment) throw notFound('payment not found');
      if (op === 'cancel') this.cancel(payment, parse(cancelSchema, body), key);
      else {
        const { modificationAmount } = parse(modificationSchema, body);
        if (modificationAmount.currency !== payment.amount.currency)
          throw badRequest('currency differs from the payment', SIM_CODES.currencyMismatch);
        if (op === 'capture') this.capture(payment, modificationAmount.value, key);
        else this.refund(payment, modificationAmount.value, key);
      }
      return modification(payment);
    });
  }

  /** The user approved and the PSP answered RESERVE. */
  authorize(payment: SimPayment): void {
    payment.state = 'AUTHORIZED';
    payment.authorized = payment.amount.value;
    this.record(payment, 'AUTHORIZED', payment.amount.value, null);
  }

  abort(payment: SimPayment): void {
    if (payment.state !== 'CREATED') return;
    payment.state = 'ABORTED';
    this.record(payment, 'ABORTED', payment.amount.value, null);
  }

  private expire(payment: SimPayment): void {
    if (payment.state !== 'CREATED') return;
    payment.state = 'EXPIRED';
    this.record(payment, 'EXPIRED', payment.amount.value, null);
  }

  private capture(payment: SimPayment, value: number, key: string): void {
    if (payment.state !== 'AUTHORIZED')
      throw badRequest('payment is not authorized', SIM_CODES.notAuthorized);
    if (value > payment.authorized - payment.captured - payment.cancelled)
      throw badRequest('capture exceeds the uncaptured amount', SIM_CODES.captureExceeds);
    payment.captured += value;
    this.record(payment, 'CAPTURED', value, key);
  }

  private refund(payment: SimPayment, value: number, key: string): void {
    if (payment.state !== 'AUTHORIZED')
      throw badRequest('payment is not authorized', SIM_CODES.notAuthorized);
    if (value > payment.captured - payment.refunded)
      throw badRequest('refund exceeds the captured amount', SIM_CODES.refundExceeds);
    payment.refunded += value;
    this.record(payment, 'REFUNDED', value, key);
  }

  private cancel(payment: SimPayment, body: z.infer<typeof cancelSchema>, key: string): void {
    if (payment.state === 'CREATED') {
      payment.state = 'TERMINATED';
      this.record(payment, 'TERMINATED', payment.amount.value, key);
      return;
    }
    if (payment.state !== 'AUTHORIZED')
      throw badRequest('payment cannot be cancelled', SIM_CODES.notAuthorized);
    if (body?.cancelTransactionOnly)
      throw badRequest(
        'cancelTransactionOnly on an authorized payment',
        SIM_CODES.cancelTransactionOnlyAuthorized,
      );
    const rest = payment.authorized - payment.captured - payment.cancelled;
    if (rest <= 0) throw badRequest('nothing left to cancel', SIM_CODES.notAuthorized);
    payment.cancelled += rest;
    // Cancel events carry no idempotency key.
    this.record(payment, 'CANCELLED', rest, null);
  }

  private record(payment: SimPayment, name: PaymentEventName, value: number, key: string | null) {
    const event = {
      reference: payment.reference,
      pspReference: randomUUID(),
      name,
      amount: { currency: payment.amount.currency, value },
      timestamp: new Date().toISOString(),
      idempotencyKey: key,
      success: true,
    };
    payment.events.push(event);
    this.webhooks.emit(payment.msn, event);
  }

  private readable(headers: Headers, reference: string): SimPayment {
    const msn = this.authenticate(headers, true)!;
    const wait = this.store.hit(
      `read:${reference}:${header(headers, 'ocp-apim-subscription-key')}`,
      this.config.epayment.readLimitPerMinute,
    );
    if (wait) throw new EpaymentProblem(429, 'Too Many Requests', 'read limit', undefined, wait);
    const payment = this.store.payments.get(this.store.key(msn, reference));
    if (!payment) throw notFound('payment not found');
    return payment;
  }

  private writeLimit(msn: string, reference: string): void {
    const wait = this.store.hit(
      `write:${msn}:${reference}`,
      this.config.epayment.writeLimitPerMinute,
    );
    if (wait)
      throw new EpaymentProblem(
        429,
        'Too Many Requests',
        '5 per minute per reference',
        undefined,
        wait,
      );
  }

  /**
   * Idempotency-Key per MSN: the same key and body replays the first answer (a 4xx stays a 4xx);
   * the same key with another body is 409 (4010 for a capture, else 4020).
   */
  private idempotent<T>(
    msn: string,
    key: string,
    op: string,
    body: unknown,
    status: number,
    run: () => T,
  ): { status: number; body: T } {
    const id = `${msn}:${key}`;
    const fingerprint = createHash('sha256')
      .update(`${op}:${JSON.stringify(body)}`)
      .digest('hex');
    const earlier = this.store.idempotency.get(id);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint)
        throw conflict(
          'Idempotency-Key was used with another request',
          op === 'capture' ? SIM_CODES.captureRetryDiffers : SIM_CODES.idempotencyKeyExists,
        );
      if (earlier.status >= 400) {
        const problem = earlier.body as EpaymentProblem;
        throw problem;
      }
      return { status: earlier.status, body: earlier.body as T };
    }
    try {
      const result = run();
      this.store.idempotency.set(id, { fingerprint, status, body: result });
      return { status, body: result };
    } catch (error) {
      if (error instanceof EpaymentProblem && error.status < 500 && error.status !== 429)
        this.store.idempotency.set(id, { fingerprint, status: error.status, body: error });
      throw error;
    }
  }
}

function aggregate(payment: SimPayment) {
  const of = (value: number) => ({ currency: payment.amount.currency, value });
  return {
    authorizedAmount: of(payment.authorized),
    cancelledAmount: of(payment.cancelled),
    capturedAmount: of(payment.captured),
    refundedAmount: of(payment.refunded),
  };
}

function modification(payment: SimPayment): ModificationResponse {
  return {
    amount: payment.amount,
    state: payment.state,
    aggregate: aggregate(payment),
    pspReference: payment.events.at(-1)!.pspReference,
    reference: payment.reference,
  };
}

export function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function idempotencyKey(headers: Headers, required: boolean): string | undefined {
  const key = header(headers, 'idempotency-key');
  if (!key) {
    if (required) throw badRequest('Idempotency-Key is required');
    return undefined;
  }
  if (key.length > 50) throw badRequest('Idempotency-Key is longer than 50 characters');
  return key;
}

export function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  throw badRequest(`${first.path.join('.') || 'body'}: ${first.message}`);
}

function same(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
