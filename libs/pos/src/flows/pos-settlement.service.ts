import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type PosPayment,
  PosPaymentRepository,
  type PosRefund,
  PosRefundRepository,
} from '@app/persistence';
import { POS_CLIENT } from '../pos-client.provider';
import { PosApiError } from '../pos-error';
import type { PosCallContext, PosClient } from '../pos.client';

export type SettlementOutcome =
  | { kind: 'done' }
  /** MobilePay did not answer: the capture or cancel stays recorded and is tried again. */
  | { kind: 'pending'; error: PosApiError }
  /** MobilePay refused for good; the request is forgotten. */
  | { kind: 'refused'; error: PosApiError };

/**
 * Delivers a recorded capture or cancel to MobilePay — from the merchant's request and again from
 * the worker until MobilePay confirms it (docs: "Hanging payments in reserved state"). Safe to
 * repeat: capture and cancel are naturally idempotent at MobilePay.
 */
@Injectable()
export class PosSettlementService {
  private readonly logger = new Logger(PosSettlementService.name);

  constructor(
    @Inject(POS_CLIENT) private readonly client: PosClient | undefined,
    private readonly payments: PosPaymentRepository,
    private readonly refunds: PosRefundRepository,
  ) {}

  async settlePayment(payment: PosPayment, ctx: PosCallContext): Promise<SettlementOutcome> {
    const { settlement, mobilePayPaymentId } = payment;
    if (!settlement || !mobilePayPaymentId || !this.client) return { kind: 'done' };
    try {
      if (settlement === 'CAPTURE') {
        const amount = payment.settlementAmount ?? payment.amount ?? 0n;
        await this.client.capturePayment(
          ctx,
          mobilePayPaymentId,
          amount,
          payment.currency ?? 'DKK',
        );
      } else {
        await this.client.cancelPayment(ctx, mobilePayPaymentId);
      }
    } catch (error) {
      if (!(error instanceof PosApiError)) throw error;
      if (error.transient) {
        await this.payments.recordError(payment.id, error.message);
        return { kind: 'pending', error };
      }
      this.logger.warn({ posPaymentId: payment.id, code: error.code }, 'settlement refused');
      await this.payments.abandonSettlement(payment.id, error.message);
      return { kind: 'refused', error };
    }
    await this.payments.completeSettlement(payment.id, settlement, payment.settlementAmount);
    return { kind: 'done' };
  }

  async settleRefund(refund: PosRefund, ctx: PosCallContext): Promise<SettlementOutcome> {
    const { settlement, mobilePayRefundId } = refund;
    if (!settlement || !mobilePayRefundId || !this.client) return { kind: 'done' };
    try {
      if (settlement === 'CAPTURE') await this.client.captureRefund(ctx, mobilePayRefundId);
      else await this.client.cancelRefund(ctx, mobilePayRefundId);
    } catch (error) {
      if (!(error instanceof PosApiError)) throw error;
      if (error.transient) return { kind: 'pending', error };
      this.logger.warn({ posRefundId: refund.id, code: error.code }, 'refund settlement refused');
      await this.refunds.abandonSettlement(refund.id, error.message);
      return { kind: 'refused', error };
    }
    await this.refunds.completeSettlement(refund.id, settlement);
    return { kind: 'done' };
  }
}
