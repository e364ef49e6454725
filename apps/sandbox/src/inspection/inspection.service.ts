import { Injectable } from '@nestjs/common';
import { AcquirerStore } from '../acquirers/acquirer.store';
import { SchedulerService } from '../common/scheduler.service';
import { CallbackDeliveryService } from '../mobilepay/callback-delivery.service';
import { conflict, MobilePayCode } from '../mobilepay/mobilepay-codes';
import { MerchantsStore } from '../mobilepay/merchants.store';
import { NetworkTokenVaultStore } from '../mobilepay/network-token-vault.store';
import type { Attempt, Payment } from '../mobilepay/payment.model';
import { PaymentsStore } from '../mobilepay/payments.store';
import { EventLogStore, type SandboxEvent } from './event-log.store';
import { FaultsStore } from './faults.store';

/** Read-only views for tests and demos; only masked card numbers, tokens and cryptograms. */
@Injectable()
export class InspectionService {
  constructor(
    private readonly payments: PaymentsStore,
    private readonly merchants: MerchantsStore,
    private readonly events: EventLogStore,
    private readonly faults: FaultsStore,
    private readonly scheduler: SchedulerService,
    private readonly delivery: CallbackDeliveryService,
    private readonly acquirer: AcquirerStore,
    private readonly vault: NetworkTokenVaultStore,
  ) {}

  payment(paymentId: string): Record<string, unknown> {
    const payment = this.payments.get(paymentId);
    if (!payment) throw conflict(MobilePayCode.PaymentNotFound);
    return {
      payment: paymentView(payment),
      attempts: payment.attempts.map(attemptView),
      events: this.events.list(paymentId),
    };
  }

  eventList(paymentId?: string): SandboxEvent[] {
    return this.events.list(paymentId);
  }

  /** Forgets all state except the registered public keys (configuration, like onboarding). */
  reset(): void {
    this.delivery.abortAll();
    this.scheduler.clear();
    this.payments.clear();
    this.merchants.clear();
    this.events.clear();
    this.faults.clear();
    this.acquirer.clear();
    this.vault.clear();
  }
}

function paymentView(p: Payment): Record<string, unknown> {
  const operations = (kind: keyof Payment['operations']) => [...p.operations[kind].values()];
  return {
    paymentId: p.paymentId,
    status: p.status,
    amount: p.amount,
    currencyCode: p.currencyCode,
    merchantId: p.merchantId,
    merchantOrderId: p.merchantOrderId,
    pspReferenceId: p.pspReferenceId,
    publicKeyId: p.publicKeyId,
    allowedCardTypes: p.allowedCardTypes,
    authorizedAmount: p.authorizedAmount,
    capturedAmount: p.capturedAmount,
    refundedAmount: p.refundedAmount,
    cancelledAmount: p.cancelledAmount,
    captures: operations('capture'),
    cancels: operations('cancel'),
    refunds: operations('refund'),
    createdAt: p.createdAt,
    expiresAt: new Date(p.expiresAt).toISOString(),
    failedCallback: p.failedCallback,
  };
}

function attemptView(a: Attempt): Record<string, unknown> {
  return {
    authorizationAttemptId: a.authorizationAttemptId,
    cardType: a.cardType,
    maskedCardNumber: a.maskedCardNumber,
    state: a.state,
    callbackStatus: a.callbackStatus,
    callbackKind: a.callbackKind,
    failedOver: a.failedOver,
    token: a.token,
    checkout: a.checkout,
    threeDs: a.threeDs,
    deliveries: a.deliveries,
    patches: a.patches,
    final: a.final,
    createdAt: a.createdAt,
    deadlineAt: a.deadlineAt === null ? null : new Date(a.deadlineAt).toISOString(),
    late: a.late,
  };
}
