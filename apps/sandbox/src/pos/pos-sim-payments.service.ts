import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { SandboxConfig } from '@app/config';
import {
  decimalToMinor,
  isGuid,
  isPosText,
  minorToDecimal,
  PLANNED_CAPTURE_DELAYS,
  type PosPaymentState,
} from '@app/pos';
import { SchedulerService } from '../common/scheduler.service';
import { SANDBOX_CONFIG } from '../sandbox.tokens';
import { posError, posNotFound, validatePos } from './pos-sim-errors';
import { PosSimNotificationsService } from './pos-sim-notifications.service';
import { isActive, type PosCaller, type SimPayment, type SimPointOfSale } from './pos-sim.model';
import { PosSimStore } from './pos-sim.store';
import {
  checkIdempotencyKey,
  customerToken,
  idempotencyKeyReused,
  loyaltyIdsOf,
} from './pos-sim-points-of-sale.service';
import { PosSimThrottleService } from './pos-sim-throttle.service';

const text = z.string().refine((v) => isPosText(v), 'invalid characters or length');
const amount = z.union([z.number(), z.string()]);
const currencyCode = z.enum(['DKK', 'EUR']);
const restrictions = z
  .object({
    debitCardDisallowed: z.boolean().nullish(),
    creditCardDisallowed: z.boolean().nullish(),
  })
  .strict()
  .nullish();

const readySchema = z.object({
  amount,
  currencyCode,
  plannedCaptureDelay: z.enum(PLANNED_CAPTURE_DELAYS),
  restrictions,
  merchantPaymentLabel: text.nullish(),
});
const initiateSchema = readySchema.extend({
  posId: z.string().refine(isGuid, 'must be a GUID'),
  orderId: text,
});
const prepareSchema = z.object({ posId: z.string().refine(isGuid), orderId: text });
const captureSchema = z.object({ amount });

const PAYMENT_CODES = { amount: '1102', orderId: '1113', merchantPaymentLabel: '1117' };

/** PoS v10 payments: the state machine of the payment flow and the prepared payment flow. */
@Injectable()
export class PosSimPaymentsService {
  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly store: PosSimStore,
    private readonly throttle: PosSimThrottleService,
    private readonly scheduler: SchedulerService,
    private readonly notifications: PosSimNotificationsService,
  ) {}

  initiate(caller: PosCaller, body: unknown, idempotencyKey: unknown): { paymentId: string } {
    const key = checkIdempotencyKey(idempotencyKey);
    const input = validatePos(initiateSchema, body, PAYMENT_CODES);
    const minor = positiveAmount(input.amount, input.currencyCode);
    return this.idempotent(caller, key, { path: 'payments', input }, () => {
      const pos = this.startablePos(caller, input.posId);
      const payment = this.newPayment(caller, pos, input.orderId, 'initiate');
      Object.assign(payment, {
        amount: minor,
        currencyCode: input.currencyCode,
        plannedCaptureDelay: input.plannedCaptureDelay,
        restrictions: input.restrictions ?? null,
        merchantPaymentLabel: input.merchantPaymentLabel ?? null,
      });
      // A user already checked in gets the payment request at once.
      this.move(payment, pos.checkIn ? 'IssuedToUser' : 'Initiated', pos.checkIn?.phoneNumber);
      return { paymentId: payment.paymentId };
    });
  }

  prepare(caller: PosCaller, body: unknown, idempotencyKey: unknown): { paymentId: string } {
    const key = checkIdempotencyKey(idempotencyKey);
    const input = validatePos(prepareSchema, body, PAYMENT_CODES);
    return this.idempotent(caller, key, { path: 'payments/prepare', input }, () => {
      const pos = this.startablePos(caller, input.posId);
      const payment = this.newPayment(caller, pos, input.orderId, 'prepare');
      this.move(payment, pos.checkIn ? 'Paired' : 'Prepared', pos.checkIn?.phoneNumber);
      return { paymentId: payment.paymentId };
    });
  }

  ready(caller: PosCaller, paymentId: string, body: unknown): void {
    const input = validatePos(readySchema, body, PAYMENT_CODES);
    const minor = positiveAmount(input.amount, input.currencyCode);
    const payment = this.owned(caller, paymentId, '1406');
    if (
      payment.flow === 'prepare' &&
      payment.amount === minor &&
      payment.currencyCode === input.currencyCode &&
      (payment.status === 'Initiated' || payment.status === 'IssuedToUser')
    ) {
      return; // a retried ready
    }
    if (payment.status !== 'Prepared' && payment.status !== 'Paired') {
      throw posError(409, '1303', 'Payment needs to be prepared before it can be marked as ready');
    }
    Object.assign(payment, {
      amount: minor,
      currencyCode: input.currencyCode,
      plannedCaptureDelay: input.plannedCaptureDelay,
      restrictions: input.restrictions ?? null,
      merchantPaymentLabel: input.merchantPaymentLabel ?? null,
    });
    this.move(payment, payment.status === 'Paired' ? 'IssuedToUser' : 'Initiated');
  }

  get(caller: PosCaller, paymentId: string) {
    const payment = this.owned(caller, paymentId, '1411');
    this.throttle.poll(payment);
    return this.view(payment);
  }

  query(caller: PosCaller, query: Record<string, string | undefined>): { paymentIds: string[] } {
    if (!query.posId && !query.orderId) {
      throw posError(400, '1109', 'Payment filter not specific enough');
    }
    if (query.state !== undefined && query.state !== 'Captured') {
      throw posError(400, '1099', 'state can only be Captured');
    }
    const matches = [...this.store.payments.values()]
      .filter(
        (p) =>
          p.clientId === caller.clientId &&
          p.merchantVat === caller.merchantVat &&
          (!query.posId || p.posId === query.posId) &&
          (!query.orderId || p.orderId === query.orderId) &&
          (query.state === 'Captured'
            ? p.status === 'Captured'
            : isActive(p) || p.status === 'Reserved'),
      )
      .sort((a, b) => b.createdAt - a.createdAt);
    // An order id maps to its latest payment only (best practices: "the mapping is overwritten").
    const paymentIds = query.orderId ? matches.slice(0, 1) : matches;
    return { paymentIds: paymentIds.map((p) => p.paymentId) };
  }

  capture(caller: PosCaller, paymentId: string, body: unknown): void {
    const input = validatePos(captureSchema, body, { amount: '1102' });
    const payment = this.owned(caller, paymentId, '1407');
    const minor = positiveAmount(input.amount, payment.currencyCode ?? 'DKK');
    if (payment.status === 'Captured') {
      if (payment.capturedAmount === minor) return;
      throw posError(409, '1307', 'Payment has already been captured with a different amount');
    }
    if (payment.status !== 'Reserved') {
      throw posError(409, '1304', 'Cannot capture payment when payment is not reserved');
    }
    if (minor > (payment.amount ?? 0n)) {
      throw posError(409, '1305', 'Capture Amount cannot exceed the reserved amount');
    }
    if (minor < (payment.amount ?? 0n) && !payment.partialCapturePossible) {
      throw posError(409, '1308', 'Partial capture not possible on this payment');
    }
    payment.capturedAmount = minor;
    this.move(payment, 'Captured');
  }

  cancel(caller: PosCaller, paymentId: string): void {
    const payment = this.owned(caller, paymentId, '1408');
    if (payment.status === 'CancelledByClient') return;
    if (!isActive(payment) && payment.status !== 'Reserved') {
      throw posError(409, '1300', 'The payment cannot be cancelled in the current state');
    }
    this.move(payment, 'CancelledByClient');
  }

  // ── The app (user simulation) and MobilePay's own decisions ──────────────────────────────
  checkIn(beaconId: string, phoneNumber: string): void {
    const pos = this.posByBeacon(beaconId);
    const active = this.activeOn(pos.posId);
    if (pos.requirePaymentBeforeCheckin && !active) {
      throw posError(409, '', 'This point of sale requires a payment before check-in');
    }
    pos.checkIn = { phoneNumber, at: Date.now() };
    this.notifications.checkedIn(pos);
    if (!active) return;
    if (active.status === 'Initiated' || active.status === 'IssuedToUser') {
      this.move(active, 'IssuedToUser', phoneNumber);
    } else {
      this.move(active, 'Paired', phoneNumber);
    }
  }

  accept(beaconId: string, phoneNumber: string): void {
    const pos = this.posByBeacon(beaconId);
    const payment = this.activeOn(pos.posId);
    if (payment?.status !== 'IssuedToUser') {
      throw posError(409, '', 'No payment request is waiting for the user on this point of sale');
    }
    if (payment.phoneNumber !== phoneNumber) {
      throw posError(409, '', 'The payment request was sent to another user');
    }
    pos.checkIn = undefined;
    const debit = phoneNumber.endsWith('02');
    const refused = debit
      ? payment.restrictions?.debitCardDisallowed
      : payment.restrictions?.creditCardDisallowed;
    if (refused) {
      this.move(payment, 'CancelledByMobilePay');
      return;
    }
    Object.assign(payment, {
      partialCapturePossible: phoneNumber.endsWith('05'),
      customerToken: customerToken(phoneNumber),
      customerReceiptToken: customerToken(`r${phoneNumber}`).slice(0, 32),
      loyaltyIds: loyaltyIdsOf(phoneNumber),
      expiresAt: Date.now() + this.config.pos.reservationMs,
    });
    this.move(payment, 'Reserved');
    // Reservations live 7 days (configurable), then MobilePay cancels them: ExpiredAndCancelled.
    this.scheduler.schedule(
      `pos-payment-${payment.paymentId}`,
      this.config.pos.reservationMs,
      () => {
        if (payment.status === 'Reserved') this.move(payment, 'ExpiredAndCancelled');
      },
    );
  }

  cancelByUser(beaconId: string): void {
    const pos = this.posByBeacon(beaconId);
    const payment = this.activeOn(pos.posId);
    if (payment?.status !== 'Paired' && payment?.status !== 'IssuedToUser') {
      throw posError(409, '', 'No payment the user could cancel on this point of sale');
    }
    pos.checkIn = undefined;
    this.move(payment, 'CancelledByUser');
  }

  /** MobilePay gives up on a payment: the reservation failed, or it was inactive too long. */
  reject(paymentId: string): SimPayment {
    const payment = this.inspect(paymentId);
    if (!isActive(payment)) throw posError(409, '', `payment is ${payment.status}`);
    this.move(payment, 'CancelledByMobilePay');
    return payment;
  }

  /** The clock runs out: a reservation expires, an active payment is cancelled by MobilePay. */
  expire(paymentId: string): SimPayment {
    const payment = this.inspect(paymentId);
    if (payment.status === 'Reserved') this.move(payment, 'ExpiredAndCancelled');
    else if (isActive(payment)) this.move(payment, 'CancelledByMobilePay');
    else throw posError(409, '', `payment is ${payment.status}`);
    return payment;
  }

  inspect(paymentId: string): SimPayment {
    const payment = this.store.payments.get(paymentId);
    if (!payment) throw posNotFound('Payment');
    return payment;
  }

  view(payment: SimPayment) {
    return {
      paymentId: payment.paymentId,
      posId: payment.posId,
      orderId: payment.orderId,
      amount:
        payment.amount === null || !payment.currencyCode
          ? null
          : Number(minorToDecimal(payment.amount, payment.currencyCode)),
      currencyCode: payment.currencyCode,
      restrictions: payment.restrictions,
      merchantPaymentLabel: payment.merchantPaymentLabel,
      plannedCaptureDelay: payment.plannedCaptureDelay,
      status: payment.status,
      customerToken: payment.customerToken ?? null,
      customerReceiptToken: payment.customerReceiptToken ?? null,
      loyaltyIds: payment.phoneNumber ? loyaltyIdsOf(payment.phoneNumber) : null,
      paymentExpiresAt: payment.expiresAt ? new Date(payment.expiresAt).toISOString() : undefined,
      partialCapturePossible:
        payment.status === 'Reserved' ? (payment.partialCapturePossible ?? false) : undefined,
      pollDelayInMs: this.throttle.pollDelayMs,
    };
  }

  private idempotent(
    caller: PosCaller,
    key: string,
    request: unknown,
    run: () => { paymentId: string },
  ): { paymentId: string } {
    const outcome = this.store.idempotent(
      `${caller.clientId}|${caller.merchantVat}`,
      key,
      request,
      run,
    );
    if (outcome.kind === 'mismatch') throw idempotencyKeyReused();
    return outcome.body;
  }

  private startablePos(caller: PosCaller, posId: string): SimPointOfSale {
    const pos = this.store.pointsOfSale.get(posId);
    if (!pos || pos.deleted) throw posError(409, '1000', 'Point of Sale not found');
    if (pos.clientId !== caller.clientId || pos.merchantVat !== caller.merchantVat) {
      throw posError(
        403,
        '1400',
        'Cannot start payments on a point of sale created by a different integrator',
      );
    }
    if (!this.store.stores.get(pos.storeId)?.active) {
      throw posError(409, '1204', 'The store for the given point of sale is not activated');
    }
    if (this.activeOn(posId)) {
      throw posError(
        409,
        '1301',
        'A payment is already active. Cancel it before starting a new one',
      );
    }
    return pos;
  }

  private newPayment(
    caller: PosCaller,
    pos: SimPointOfSale,
    orderId: string,
    flow: SimPayment['flow'],
  ): SimPayment {
    const payment: SimPayment = {
      paymentId: randomUUID(),
      posId: pos.posId,
      clientId: caller.clientId,
      merchantVat: caller.merchantVat,
      orderId,
      flow,
      amount: null,
      currencyCode: null,
      restrictions: null,
      merchantPaymentLabel: null,
      plannedCaptureDelay: null,
      status: flow === 'prepare' ? 'Prepared' : 'Initiated',
      createdAt: Date.now(),
      history: [],
      polls: [],
      throttled: 0,
    };
    this.store.payments.set(payment.paymentId, payment);
    return payment;
  }

  private owned(caller: PosCaller, paymentId: string, otherMerchantCode: string): SimPayment {
    const payment = this.store.payments.get(paymentId);
    if (!payment) throw posNotFound('Payment');
    if (payment.clientId !== caller.clientId) {
      throw posError(403, '1401', 'Payment was created by a different integrator');
    }
    if (payment.merchantVat !== caller.merchantVat) {
      throw posError(
        403,
        otherMerchantCode,
        'Payment was created on behalf of a different merchant',
      );
    }
    return payment;
  }

  private posByBeacon(beaconId: string): SimPointOfSale {
    const pos = this.store.activePosByBeacon(beaconId);
    if (!pos) throw posNotFound('Point of sale with this beacon');
    return pos;
  }

  private activeOn(posId: string): SimPayment | undefined {
    return this.store.paymentsOn(posId).find(isActive);
  }

  private move(payment: SimPayment, status: PosPaymentState, phoneNumber?: string): void {
    if (phoneNumber) payment.phoneNumber = phoneNumber;
    if (payment.status === status && payment.history.length > 0) return;
    payment.status = status;
    payment.history.push({ status, at: Date.now() });
  }
}

function positiveAmount(value: number | string, currency: string): bigint {
  let minor: bigint;
  try {
    minor = decimalToMinor(value, currency);
  } catch {
    throw posError(400, '1102', 'Invalid Amount');
  }
  if (minor <= 0n) throw posError(400, '1102', 'Invalid Amount');
  return minor;
}
