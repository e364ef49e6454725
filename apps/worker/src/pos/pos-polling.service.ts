import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  MerchantRepository,
  type PosPayment,
  PosPaymentRepository,
  type PosRefund,
  PosRefundRepository,
} from '@app/persistence';
import {
  PAYMENT_STATUS,
  POLLED_PAYMENT_STATUSES,
  POLLED_REFUND_STATUSES,
  POS_CLIENT,
  PosApiError,
  type PosCallContext,
  type PosClient,
  posContext,
  REFUND_STATUS,
} from '@app/pos';
import { PosSettlementService } from '@app/pos/flows';
import { PosJobProducer } from '@app/queue';
import { nextPollDelay } from './pos-poll-delay';

/** Polls that keep failing without an answer that says "try again" are given up after this many. */
const MAX_CLIENT_ERRORS = 10;
/** A reservation's lifetime when MobilePay did not say (`paymentExpiresAt`): 7 days. */
const PAYMENT_RESERVATION_MS = 7 * 24 * 60 * 60_000;
/** An overdue reservation is looked at again with growing gaps, at most this long. */
const MAX_OVERDUE_LOOK_MS = 60 * 60_000;

function validDate(text: string | null | undefined): Date | null {
  if (!text) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Polls in-store payments and refunds at MobilePay: one delayed job per poll, each scheduling the
 * next after `pollDelayInMs` (at least a second), until the state needs no more polling. A state
 * change becomes one event; a reserved refund is captured when the merchant asked for that.
 * A reservation the merchant leaves alone gets one more look when it should have run out (a
 * payment's `paymentExpiresAt`, a refund's 24 hours), so ExpiredAndCancelled / ExpiredAndCaptured
 * reach our state and the merchant's webhooks.
 */
@Injectable()
export class PosPollingService {
  private readonly logger = new Logger(PosPollingService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(POS_CLIENT) private readonly client: PosClient | undefined,
    private readonly payments: PosPaymentRepository,
    private readonly refunds: PosRefundRepository,
    private readonly merchants: MerchantRepository,
    private readonly settlement: PosSettlementService,
    private readonly jobs: PosJobProducer,
  ) {}

  async pollPayment(id: string, poll: number): Promise<void> {
    const payment = await this.payments.findById(id);
    if (!payment?.mobilePayPaymentId || !this.client) return;
    // A late duplicate of this poll, or a payment that needs no polling any more.
    if (!(await this.payments.claimPoll(id, poll))) return;
    const ctx = await this.context(payment.merchantId);
    try {
      const seen = await this.client.getPayment(ctx, payment.mobilePayPaymentId, 'poll');
      const status = PAYMENT_STATUS[seen.status];
      const expiresAt = validDate(seen.paymentExpiresAt);
      const next = POLLED_PAYMENT_STATUSES.includes(status)
        ? this.delay(seen.pollDelayInMs, 0)
        : status === 'RESERVED'
          ? this.reservationCheck(
              expiresAt ?? payment.expiresAt ?? new Date(Date.now() + PAYMENT_RESERVATION_MS),
            )
          : null;
      await this.payments.recordObservation(
        id,
        {
          status,
          amount: seen.amount,
          currency: seen.currencyCode ?? null,
          partialCapturePossible: seen.partialCapturePossible ?? null,
          loyaltyIds: seen.loyaltyIds ?? [],
          customerToken: seen.customerToken ?? null,
          expiresAt,
          pollDelayMs: seen.pollDelayInMs,
        },
        next === null ? null : new Date(Date.now() + next),
      );
      if (next !== null) await this.jobs.pollPayment(id, poll + 1, next);
    } catch (error) {
      if (!(error instanceof PosApiError)) throw error;
      await this.retryLater(payment, error, poll, (next, delay, at) =>
        this.payments
          .recordPollFailure(id, error.message, at)
          .then(() => (next ? this.jobs.pollPayment(id, poll + 1, delay) : undefined)),
      );
    }
  }

  async pollRefund(id: string, poll: number): Promise<void> {
    const refund = await this.refunds.findById(id);
    if (!refund?.mobilePayRefundId || !this.client) return;
    if (!(await this.refunds.claimPoll(id, poll))) return;
    const ctx = await this.context(refund.merchantId);
    try {
      const seen = await this.client.getRefund(ctx, refund.mobilePayRefundId, 'poll');
      const status = REFUND_STATUS[seen.status];
      // Also for a refund we capture ourselves: if that capture is refused or lost, this look
      // still sees how the reservation ended.
      const next = POLLED_REFUND_STATUSES.includes(status)
        ? this.delay(seen.pollDelayInMs, 0)
        : status === 'RESERVED'
          ? this.reservationCheck(
              // Reserved moments after creation; MobilePay does not say when it runs out.
              new Date(refund.createdAt.getTime() + this.config.pos.refundReservationMs),
            )
          : null;
      const updated = await this.refunds.recordObservation(
        id,
        status,
        seen.pollDelayInMs,
        next === null ? null : new Date(Date.now() + next),
      );
      if (next !== null) await this.jobs.pollRefund(id, poll + 1, next);
      if (updated.status === 'RESERVED' && updated.autoCapture) {
        await this.captureRefund(updated, ctx);
      }
    } catch (error) {
      if (!(error instanceof PosApiError)) throw error;
      await this.retryLater(refund, error, poll, (next, delay, at) =>
        this.refunds
          .recordPollFailure(id, error.message, at)
          .then(() => (next ? this.jobs.pollRefund(id, poll + 1, delay) : undefined)),
      );
    }
  }

  /** A settle job: delivers a recorded capture or cancel; throws (BullMQ retries) while unanswered. */
  async settlePayment(id: string): Promise<void> {
    const payment = await this.payments.findById(id);
    if (!payment?.settlement) return;
    const outcome = await this.settlement.settlePayment(
      payment,
      await this.context(payment.merchantId),
    );
    if (outcome.kind === 'pending') throw outcome.error;
  }

  async settleRefund(id: string): Promise<void> {
    const refund = await this.refunds.findById(id);
    if (!refund?.settlement) return;
    const outcome = await this.settlement.settleRefund(
      refund,
      await this.context(refund.merchantId),
    );
    if (outcome.kind === 'pending') throw outcome.error;
  }

  private async captureRefund(refund: PosRefund, ctx: PosCallContext): Promise<void> {
    if (!(await this.refunds.requestSettlement(refund.id, 'CAPTURE'))) return;
    const recorded = await this.refunds.findById(refund.id);
    if (!recorded) return;
    const outcome = await this.settlement.settleRefund(recorded, ctx);
    if (outcome.kind === 'pending') await this.jobs.settleRefund(refund.id, 1_000);
  }

  private async retryLater(
    row: PosPayment | PosRefund,
    error: PosApiError,
    poll: number,
    schedule: (next: boolean, delayMs: number, at: Date | null) => Promise<unknown>,
  ): Promise<void> {
    const failures = row.pollFailures + 1;
    const next = error.transient || failures < MAX_CLIENT_ERRORS;
    const delay = error.transient
      ? this.delay(row.pollDelayMs, failures, error.retryAfterMs)
      : this.config.pos.maxPollBackoffMs;
    if (!error.transient) {
      this.logger.warn(
        { id: row.id, poll, status: error.status, code: error.code },
        'poll refused',
      );
    }
    await schedule(next, delay, next ? new Date(Date.now() + delay) : null);
  }

  /**
   * How long until a reservation is looked at again: a margin after it should have run out.
   */
  private reservationCheck(runsOutAt: Date): number {
    const margin = Math.max(
      this.config.pos.minPollDelayMs,
      this.config.pos.reservationCheckMarginMs,
    );
    const untilRunsOut = runsOutAt.getTime() - Date.now();
    if (untilRunsOut > 0) return untilRunsOut + margin;
    // Overdue and MobilePay has not moved it yet: look again, less and less often (up to hourly).
    return Math.min(MAX_OVERDUE_LOOK_MS, Math.max(margin, -untilRunsOut));
  }

  private delay(pollDelayMs: number, failures: number, retryAfterMs?: number): number {
    return nextPollDelay({
      minMs: this.config.pos.minPollDelayMs,
      maxBackoffMs: this.config.pos.maxPollBackoffMs,
      pollDelayMs,
      failures,
      retryAfterMs,
    });
  }

  private async context(merchantId: string): Promise<PosCallContext> {
    const merchant = await this.merchants.findById(merchantId);
    if (!merchant) throw new Error(`merchant ${merchantId} not found`);
    return posContext(merchant);
  }
}
