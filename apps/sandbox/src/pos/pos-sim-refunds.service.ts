import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { SandboxConfig } from '@app/config';
import { decimalToMinor, isGuid, isPosText, minorToDecimal, type PosRefundState } from '@app/pos';
import { SchedulerService } from '../common/scheduler.service';
import { SANDBOX_CONFIG } from '../sandbox.tokens';
import { posError, posNotFound, validatePos } from './pos-sim-errors';
import type { PosCaller, SimRefund } from './pos-sim.model';
import { PosSimStore } from './pos-sim.store';
import { checkIdempotencyKey, idempotencyKeyReused } from './pos-sim-points-of-sale.service';
import { PosSimThrottleService } from './pos-sim-throttle.service';

const createRefundSchema = z.object({
  paymentId: z.string().refine(isGuid, 'must be a GUID'),
  refundOrderId: z.string().refine((v) => isPosText(v), 'invalid characters or length'),
  amount: z.union([z.number(), z.string()]),
  currencyCode: z.enum(['DKK', 'EUR']),
});

const ENDED: readonly PosRefundState[] = ['CancelledByClient', 'CancelledByMobilePay'];

@Injectable()
export class PosSimRefundsService {
  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly store: PosSimStore,
    private readonly throttle: PosSimThrottleService,
    private readonly scheduler: SchedulerService,
  ) {}

  create(caller: PosCaller, body: unknown, idempotencyKey: unknown): { refundId: string } {
    const key = checkIdempotencyKey(idempotencyKey);
    const input = validatePos(createRefundSchema, body, { amount: '1102', refundOrderId: '1114' });
    let minor: bigint;
    try {
      minor = decimalToMinor(input.amount, input.currencyCode);
    } catch {
      throw posError(400, '1102', 'Invalid Amount');
    }
    if (minor <= 0n) throw posError(400, '1102', 'Invalid Amount');
    const outcome = this.store.idempotent(
      `${caller.clientId}|${caller.merchantVat}`,
      key,
      { path: 'refunds', input },
      () => {
        const payment = this.store.payments.get(input.paymentId);
        if (!payment) throw posError(409, '1001', 'Payment not found');
        if (payment.clientId !== caller.clientId || payment.merchantVat !== caller.merchantVat) {
          throw posError(403, '1401', 'Cannot refund payments created by a different integrator');
        }
        if (payment.status !== 'Captured') {
          throw posError(
            409,
            '1354',
            'Refund of payment not possible when payment is not captured',
          );
        }
        if (payment.currencyCode !== input.currencyCode) {
          throw posError(409, '1365', 'Refund CurrencyCode is different than payment CurrencyCode');
        }
        if (Date.now() - payment.createdAt > this.config.pos.refundMaxAgeMs) {
          throw posError(409, '1366', 'Payment is too old');
        }
        const refunded = this.store
          .refundsOf(payment.paymentId)
          .filter((r) => !ENDED.includes(r.status))
          .reduce((sum, r) => sum + r.amount, 0n);
        if (refunded + minor > (payment.capturedAmount ?? 0n)) {
          throw posError(409, '1367', 'Refund Amount is too high');
        }
        const store = this.store.storeOfPayment(payment);
        if (store?.refundBalance !== undefined) {
          if (minor > store.refundBalance) {
            throw posError(
              409,
              '1368',
              'Cannot refund Amount as it exceeds the available balance on the store',
            );
          }
          store.refundBalance -= minor;
        }
        const refund: SimRefund = {
          refundId: randomUUID(),
          paymentId: payment.paymentId,
          clientId: caller.clientId,
          merchantVat: caller.merchantVat,
          refundOrderId: input.refundOrderId,
          amount: minor,
          currencyCode: input.currencyCode,
          status: 'Initiated',
          createdAt: Date.now(),
          history: [{ status: 'Initiated', at: Date.now() }],
          polls: [],
          throttled: 0,
        };
        this.store.refunds.set(refund.refundId, refund);
        this.scheduler.schedule(
          `pos-refund-${refund.refundId}`,
          this.config.pos.refundReserveMs,
          () => this.reserve(refund),
        );
        return { refundId: refund.refundId };
      },
    );
    if (outcome.kind === 'mismatch') throw idempotencyKeyReused();
    return outcome.body;
  }

  get(caller: PosCaller, refundId: string) {
    const refund = this.owned(caller, refundId);
    this.throttle.poll(refund);
    return {
      refundId: refund.refundId,
      paymentId: refund.paymentId,
      refundOrderId: refund.refundOrderId,
      amount: Number(minorToDecimal(refund.amount, refund.currencyCode)),
      currencyCode: refund.currencyCode,
      status: refund.status,
      pollDelayInMs: this.throttle.pollDelayMs,
    };
  }

  query(caller: PosCaller, paymentId: string | undefined): { refundIds: string[] } {
    if (!paymentId) throw posError(400, '1110', 'Refund filter not specific enough');
    const refundIds = this.store
      .refundsOf(paymentId)
      .filter((r) => r.clientId === caller.clientId && r.merchantVat === caller.merchantVat)
      .map((r) => r.refundId);
    return { refundIds };
  }

  capture(caller: PosCaller, refundId: string): void {
    const refund = this.owned(caller, refundId, '1004');
    if (refund.status === 'Captured') return;
    if (refund.status !== 'Reserved') {
      throw posError(409, '1351', 'Cannot capture refund when refund is not reserved');
    }
    this.move(refund, 'Captured');
  }

  cancel(caller: PosCaller, refundId: string): void {
    const refund = this.owned(caller, refundId);
    if (refund.status === 'CancelledByClient') return;
    if (refund.status !== 'Initiated' && refund.status !== 'Reserved') {
      throw posError(409, '1352', 'The refund cannot be cancelled in the current state');
    }
    this.move(refund, 'CancelledByClient');
  }

  inspect(refundId: string): SimRefund {
    const refund = this.store.refunds.get(refundId);
    if (!refund) throw posNotFound('Refund');
    return refund;
  }

  /** The reservation runs out: MobilePay captures the refund itself. */
  expire(refundId: string): SimRefund {
    const refund = this.inspect(refundId);
    if (refund.status !== 'Reserved') throw posError(409, '', `refund is ${refund.status}`);
    this.move(refund, 'ExpiredAndCaptured');
    return refund;
  }

  reject(refundId: string): SimRefund {
    const refund = this.inspect(refundId);
    if (refund.status !== 'Initiated' && refund.status !== 'Reserved') {
      throw posError(409, '', `refund is ${refund.status}`);
    }
    this.move(refund, 'CancelledByMobilePay');
    return refund;
  }

  private reserve(refund: SimRefund): void {
    if (refund.status !== 'Initiated') return;
    this.move(refund, 'Reserved');
    // A reserved refund is captured by MobilePay itself after 24 hours (configurable).
    const lifetime = this.config.pos.refundReservationMs;
    this.scheduler.schedule(`pos-refund-${refund.refundId}`, lifetime, () => {
      if (refund.status === 'Reserved') this.move(refund, 'ExpiredAndCaptured');
    });
  }

  private owned(caller: PosCaller, refundId: string, notFoundCode = ''): SimRefund {
    const refund = this.store.refunds.get(refundId);
    if (!refund) throw posError(404, notFoundCode, 'Refund not found');
    if (refund.clientId !== caller.clientId || refund.merchantVat !== caller.merchantVat) {
      throw posError(403, '1402', 'Refund was created by a different integrator');
    }
    return refund;
  }

  private move(refund: SimRefund, status: PosRefundState): void {
    refund.status = status;
    refund.history.push({ status, at: Date.now() });
    // A refund that ended without paying out gives the store's balance back.
    const payment = ENDED.includes(status) ? this.store.payments.get(refund.paymentId) : undefined;
    const store = payment && this.store.storeOfPayment(payment);
    if (store?.refundBalance !== undefined) store.refundBalance += refund.amount;
  }
}
