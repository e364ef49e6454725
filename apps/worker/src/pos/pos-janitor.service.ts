import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  MerchantRepository,
  type PosPayment,
  PosPaymentRepository,
  type PosRefund,
  PosRefundRepository,
} from '@app/persistence';
import { PAYMENT_STATUS, POS_CLIENT, type PosClient, posContext } from '@app/pos';
import { PosSettlementService } from '@app/pos/flows';
import { PosJobProducer } from '@app/queue';

const BATCH = 100;

/**
 * The in-store channel's safety net, on the worker's janitor interval. Postgres has the truth:
 * - a poll whose job should have run is queued again (Redis lost it, the worker was down);
 * - a capture or cancel MobilePay never confirmed is delivered again ("hanging reservations");
 * - a payment or refund whose creation never got an answer is found at MobilePay by its order id:
 *   a payment is cancelled (the register must not stay blocked, docs: cancel flows), a refund is
 *   adopted; found nowhere, it failed.
 */
@Injectable()
export class PosJanitorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PosJanitorService.name);
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(POS_CLIENT) private readonly client: PosClient | undefined,
    private readonly payments: PosPaymentRepository,
    private readonly refunds: PosRefundRepository,
    private readonly merchants: MerchantRepository,
    private readonly settlement: PosSettlementService,
    private readonly jobs: PosJobProducer,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.client) return;
    this.timer = setInterval(() => void this.sweep(), this.config.worker.janitorIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const grace = new Date(Date.now() - this.config.worker.janitorGraceMs);
      for (const p of await this.payments.findPollsOverdue(grace, BATCH)) {
        await this.jobs.redrivePoll('payment', p.id, p.pollCount);
      }
      for (const r of await this.refunds.findPollsOverdue(grace, BATCH)) {
        await this.jobs.redrivePoll('refund', r.id, r.pollCount);
      }
      for (const p of await this.payments.findSettlementsPending(grace, BATCH)) {
        await this.jobs.settlePayment(p.id);
      }
      for (const r of await this.refunds.findSettlementsPending(grace, BATCH)) {
        await this.jobs.settleRefund(r.id);
      }
      const orphanedBefore = new Date(Date.now() - this.config.pos.orphanAfterMs);
      for (const p of await this.payments.findOrphans(orphanedBefore, BATCH)) {
        await this.recoverPayment(p);
      }
      for (const r of await this.refunds.findOrphans(orphanedBefore, BATCH)) {
        await this.recoverRefund(r);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'in-store janitor sweep failed; will try again');
    } finally {
      this.running = false;
    }
  }

  private async recoverPayment(payment: PosPayment): Promise<void> {
    if (!this.client) return;
    const merchant = await this.merchants.findById(payment.merchantId);
    const pos = await this.payments.findPointOfSale(payment.pointOfSaleId);
    if (!merchant || !pos?.mobilePayPosId) return;
    const ctx = posContext(merchant);
    const ids = await this.client.queryPayments(ctx, {
      posId: pos.mobilePayPosId,
      orderId: payment.orderId,
    });
    for (const mobilePayPaymentId of ids) {
      if (await this.payments.findByMobilePayId(mobilePayPaymentId)) continue;
      const seen = await this.client.getPayment(ctx, mobilePayPaymentId);
      await this.payments.markStarted(payment.id, mobilePayPaymentId, PAYMENT_STATUS[seen.status]);
      this.logger.warn({ posPaymentId: payment.id }, 'orphaned in-store payment found; cancelling');
      const from = ['PREPARED', 'PAIRED', 'INITIATED', 'ISSUED_TO_USER', 'RESERVED'] as const;
      if (
        await this.payments.requestSettlement(merchant.id, payment.id, 'CANCEL', null, [...from])
      ) {
        const recorded = await this.payments.findById(payment.id);
        if (recorded) await this.settlement.settlePayment(recorded, ctx);
      }
      return;
    }
    await this.payments.markFailed(payment.id, 'MobilePay never confirmed the payment');
  }

  private async recoverRefund(refund: PosRefund): Promise<void> {
    if (!this.client) return;
    const merchant = await this.merchants.findById(refund.merchantId);
    const payment = await this.payments.findById(refund.posPaymentId);
    if (!merchant || !payment?.mobilePayPaymentId) return;
    const ctx = posContext(merchant);
    for (const mobilePayRefundId of await this.client.queryRefunds(
      ctx,
      payment.mobilePayPaymentId,
    )) {
      if (await this.refunds.findByMobilePayId(mobilePayRefundId)) continue;
      const seen = await this.client.getRefund(ctx, mobilePayRefundId);
      if (seen.refundOrderId !== refund.refundOrderId || seen.amount !== refund.amount) continue;
      await this.refunds.markStarted(refund.id, mobilePayRefundId);
      await this.jobs.pollRefund(refund.id, 0, 0);
      return;
    }
    await this.refunds.markFailed(refund.id, 'MobilePay never confirmed the refund');
  }
}
