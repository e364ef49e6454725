import { Inject, Injectable } from '@nestjs/common';
import type { SandboxConfig } from '@app/config';
import { SchedulerService } from '../common/scheduler.service';
import { SANDBOX_CONFIG } from '../sandbox.tokens';
import { CallbackDeliveryService } from './callback-delivery.service';
import { conflict, MobilePayCode } from './mobilepay-codes';
import { BUSY_ATTEMPT_STATES, OPEN_ATTEMPT_STATES, type Payment } from './payment.model';
import { PaymentsStore } from './payments.store';

export interface EndedPayment {
  paymentId: string;
  status: Payment['status'];
  failedCallback: Payment['failedCallback'];
}

/** Expiry (with the failed-payment callback), rejection and invalidation: how a payment ends unpaid. */
@Injectable()
export class PaymentLifecycleService {
  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly store: PaymentsStore,
    private readonly scheduler: SchedulerService,
    private readonly delivery: CallbackDeliveryService,
  ) {}

  scheduleExpiry(payment: Payment, delayMs = payment.expiresAt - Date.now()): void {
    this.scheduler.schedule(`expiry:${payment.paymentId}`, delayMs, () =>
      this.expire(payment.paymentId),
    );
  }

  cancelExpiry(payment: Payment): void {
    this.scheduler.cancel(`expiry:${payment.paymentId}`);
  }

  /** The guide's rules: 2100 once authorized, 2101 while an attempt awaits its final PATCH. */
  invalidate(payment: Payment): void {
    if (payment.status === 'AUTHORIZED') throw conflict(MobilePayCode.AlreadyAuthorized);
    if (hasOpenAttempt(payment)) throw conflict(MobilePayCode.AttemptNotPatched);
    if (payment.status === 'INITIATED') {
      payment.status = 'INVALIDATED';
      this.cancelExpiry(payment);
    }
  }

  /** The user rejects in the app: no callback at all (the failed callback is for expiry only). */
  reject(paymentId: string): EndedPayment {
    const payment = this.found(paymentId);
    assertAcceptable(payment);
    payment.status = 'REJECTED';
    this.cancelExpiry(payment);
    return ended(payment);
  }

  /** Expires the payment now; resolves once the failed-payment callback (if any) was delivered. */
  async expireNow(paymentId: string): Promise<EndedPayment> {
    const payment = this.found(paymentId);
    assertAcceptable(payment);
    this.cancelExpiry(payment);
    await this.end(payment);
    return ended(payment);
  }

  private found(paymentId: string): Payment {
    const payment = this.store.get(paymentId);
    if (!payment) throw conflict(MobilePayCode.PaymentNotFound);
    return payment;
  }

  private async expire(paymentId: string): Promise<void> {
    const payment = this.store.get(paymentId);
    if (!payment || payment.status !== 'INITIATED') return;
    // An attempt in flight may still succeed; look again once it has had its chance.
    if (payment.attempts.some((a) => BUSY_ATTEMPT_STATES.includes(a.state))) {
      this.scheduleExpiry(payment, this.config.callbacks.retryIntervalMs);
      return;
    }
    await this.end(payment);
  }

  private async end(payment: Payment): Promise<void> {
    payment.status = 'EXPIRED';
    const url = payment.request.failedPaymentCallbackUrl;
    if (!url) return;
    const { paymentId } = payment;
    const failedCallback = { status: 'delivering' as const, deliveries: [] };
    payment.failedCallback = failedCallback;
    const body = JSON.stringify({ Code: '100', Reason: 'Payment expired', PaymentId: paymentId });
    const outcome = await this.delivery.deliver(
      { url, body, kind: 'failed-payment', paymentId },
      failedCallback.deliveries,
    );
    payment.failedCallback = {
      ...failedCallback,
      status: outcome === 'acked' ? 'acked' : 'failed',
    };
  }
}

export function hasOpenAttempt(payment: Payment): boolean {
  return payment.attempts.some((a) => OPEN_ATTEMPT_STATES.includes(a.state));
}

/** What the app lets the user do: act on an INITIATED payment with no attempt under way. */
export function assertAcceptable(payment: Payment): void {
  if (payment.status !== 'INITIATED') {
    throw conflict(MobilePayCode.PaymentNotPayable, payment.status);
  }
  if (payment.attempts.some((a) => BUSY_ATTEMPT_STATES.includes(a.state))) {
    throw conflict(MobilePayCode.AttemptInProgress);
  }
}

function ended(payment: Payment): EndedPayment {
  const { paymentId, status, failedCallback } = payment;
  return { paymentId, status, failedCallback };
}
