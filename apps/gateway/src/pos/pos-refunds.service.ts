import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/domain';
import {
  type Merchant,
  PosPaymentRepository,
  type PosRefund,
  PosRefundRepository,
} from '@app/persistence';
import { type PosCallContext, PosApiError, posDomainError } from '@app/pos';
import { PosSettlementService } from '@app/pos/flows';
import { PosJobProducer } from '@app/queue';
import type { IdempotencyContext } from '../idempotency/idempotency.service';
import { PosChannel } from './pos-channel';
import type { CreatePosRefundDto } from './pos.dto';
import { toPosRefundView } from './pos.view';

/** Refunds of captured in-store payments: the sum never exceeds what was captured. */
@Injectable()
export class PosRefundsService {
  constructor(
    private readonly channel: PosChannel,
    private readonly payments: PosPaymentRepository,
    private readonly refunds: PosRefundRepository,
    private readonly settlement: PosSettlementService,
    private readonly jobs: PosJobProducer,
  ) {}

  async create(
    merchant: Merchant,
    paymentId: string,
    dto: CreatePosRefundDto,
    idempotency?: IdempotencyContext,
  ) {
    const ctx = this.channel.forCreation(merchant);
    if (idempotency?.resourceId) {
      const earlier = await this.refunds.findForMerchant(merchant.id, idempotency.resourceId);
      if (earlier) return toPosRefundView(await this.start(ctx, earlier));
    }
    const payment = await this.payments.findForMerchant(merchant.id, paymentId);
    if (!payment) throw new DomainError(ErrorCode.NotFound, 'payment not found');
    if (payment.status !== 'CAPTURED' || !payment.mobilePayPaymentId || !payment.currency) {
      throw new DomainError(
        ErrorCode.InvalidPaymentState,
        'only a captured payment can be refunded',
      );
    }
    const amount =
      dto.amount === undefined
        ? payment.capturedAmount - payment.refundedAmount
        : BigInt(dto.amount);
    const id = randomUUID();
    const refund =
      amount > 0n
        ? await this.refunds.create(
            {
              id,
              merchantId: merchant.id,
              posPaymentId: payment.id,
              // Our id when the merchant has none: unique, and 36 valid characters.
              refundOrderId: dto.refundOrderId ?? id,
              amount,
              currency: payment.currency,
              idempotencyKey: randomUUID(),
              autoCapture: dto.capture,
            },
            idempotency?.recordId,
          )
        : null;
    if (!refund) {
      throw new DomainError(
        ErrorCode.AmountExceedsAvailable,
        'the refunds would exceed the captured amount',
        {
          capturedAmount: Number(payment.capturedAmount),
          refundedAmount: Number(payment.refundedAmount),
        },
      );
    }
    return toPosRefundView(await this.start(ctx, refund));
  }

  async get(merchant: Merchant, id: string) {
    return toPosRefundView(await this.owned(merchant, id));
  }

  async capture(merchant: Merchant, id: string) {
    const refund = await this.owned(merchant, id);
    if (refund.status === 'CAPTURED') return toPosRefundView(refund);
    return this.settle(merchant, refund, 'CAPTURE');
  }

  async cancel(merchant: Merchant, id: string) {
    const refund = await this.owned(merchant, id);
    if (refund.status === 'CANCELLED_BY_CLIENT') return toPosRefundView(refund);
    return this.settle(merchant, refund, 'CANCEL');
  }

  private async settle(merchant: Merchant, refund: PosRefund, kind: 'CAPTURE' | 'CANCEL') {
    if (!(await this.refunds.requestSettlement(refund.id, kind, merchant.id))) {
      throw new DomainError(ErrorCode.InvalidPaymentState, `the refund is ${refund.status}`);
    }
    const outcome = await this.settlement.settleRefund(
      await this.owned(merchant, refund.id),
      this.channel.context(merchant),
    );
    if (outcome.kind === 'pending') await this.jobs.trySettleRefund(refund.id, 1_000);
    if (outcome.kind === 'refused') throw posDomainError(outcome.error);
    return toPosRefundView(await this.owned(merchant, refund.id));
  }

  /** Creates the refund at MobilePay with its stored idempotency key, then polls it. */
  private async start(ctx: PosCallContext, refund: PosRefund): Promise<PosRefund> {
    if (refund.status !== 'CREATED') return refund;
    const payment = await this.payments.findById(refund.posPaymentId);
    if (!payment?.mobilePayPaymentId)
      throw new DomainError(ErrorCode.NotFound, 'payment not found');
    let mobilePayRefundId: string;
    try {
      mobilePayRefundId = await this.channel.client.createRefund(
        ctx,
        {
          paymentId: payment.mobilePayPaymentId,
          refundOrderId: refund.refundOrderId,
          amount: refund.amount,
          currencyCode: refund.currency as 'DKK' | 'EUR',
        },
        refund.idempotencyKey,
      );
    } catch (error) {
      if (error instanceof PosApiError && !error.transient) {
        await this.refunds.markFailed(refund.id, error.message);
      }
      throw posDomainError(error);
    }
    const started = await this.refunds.markStarted(refund.id, mobilePayRefundId);
    await this.jobs.tryPollRefund(refund.id, 0, 0);
    return started;
  }

  private async owned(merchant: Merchant, id: string): Promise<PosRefund> {
    const refund = await this.refunds.findForMerchant(merchant.id, id);
    if (!refund) throw new DomainError(ErrorCode.NotFound, 'refund not found');
    return refund;
  }
}
