import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { EpaymentClient, EpaymentError } from '@app/epayment';
import { MobilePayClient, MobilePayError } from '@app/mobilepay';
import { OutboxRepository, type OperationReport, type OutboxMessage } from '@app/persistence';
import { redeliveryAt } from '../services/report-redelivery';

/** A report waiting for an older one of its payment looks again this soon (no request is made). */
const ORDER_WAIT_MS = 1_000;

/**
 * Reports a capture, cancel or refund to MobilePay (`POST …/captures|cancels|refunds` with the
 * operation id as its identifier, so a retry is never counted twice). Reports of one payment go
 * in order: a refund reported before its capture would be refused.
 */
@Injectable()
export class OperationReportService {
  private readonly logger = new Logger(OperationReportService.name);

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly mobilePay: MobilePayClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly epayment: EpaymentClient,
  ) {}

  /** Undefined when done (sent, or refused for good); else when to deliver again. */
  async deliver(message: OutboxMessage): Promise<Date | undefined> {
    if (await this.outbox.hasOlderPending(message)) {
      return new Date(Date.now() + ORDER_WAIT_MS);
    }
    const report = message.payload as unknown as OperationReport;
    try {
      await this.send(report);
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'unknown error';
      if ((error instanceof MobilePayError || error instanceof EpaymentError) && !error.transient) {
        await this.outbox.markDead(message.id, reason);
        this.logger.error(
          { operationId: report.operationId, kind: report.kind, reason },
          'MobilePay refused the report; it needs a person',
        );
        return undefined;
      }
      const { tries } = await this.outbox.recordFailure(message.id, reason);
      const next = redeliveryAt(tries, new Date(), this.config.mobilePay);
      this.logger.warn(
        { operationId: report.operationId, kind: report.kind, reason, nextDeliveryAt: next },
        'report not delivered; delivering again later',
      );
      return next;
    }
    await this.outbox.markSent(message.id);
    this.logger.log(
      { operationId: report.operationId, kind: report.kind, amount: report.body.amount },
      'operation reported to MobilePay',
    );
    return undefined;
  }

  private async send(report: OperationReport): Promise<void> {
    if (report.epayment) return this.sendToEpayment(report, report.epayment);
    const mobilePayPaymentId = report.mobilePayPaymentId!;
    const options = { correlationId: report.operationId };
    const { amount, timestamp } = report.body;
    switch (report.kind) {
      case 'capture':
        await this.mobilePay.reportCapture(
          mobilePayPaymentId,
          {
            captureIdentifier: report.body.captureIdentifier!,
            amount,
            timestamp,
            ...(report.body.authorizationAttemptId
              ? { authorizationAttemptId: report.body.authorizationAttemptId }
              : {}),
          },
          options,
        );
        return;
      case 'cancel':
        await this.mobilePay.reportCancel(
          mobilePayPaymentId,
          { cancelIdentifier: report.body.cancelIdentifier!, amount, timestamp },
          options,
        );
        return;
      case 'refund':
        await this.mobilePay.reportRefund(
          mobilePayPaymentId,
          { refundIdentifier: report.body.refundIdentifier!, amount, timestamp },
          options,
        );
        return;
    }
  }

  /**
   * ePayment: `POST …/capture|refund|cancel` with `modificationAmount`, the operation id as the
   * Idempotency-Key (a retry repeats the exact body, as the API requires). Cancel releases all
   * that is left uncaptured, as our cancel does.
   */
  private async sendToEpayment(
    report: OperationReport,
    target: NonNullable<OperationReport['epayment']>,
  ): Promise<void> {
    const amount = { currency: target.currency, value: report.body.amount };
    const key = report.operationId;
    switch (report.kind) {
      case 'capture':
        await this.epayment.capture(target.msn, target.reference, amount, key);
        return;
      case 'refund':
        await this.epayment.refund(target.msn, target.reference, amount, key);
        return;
      case 'cancel':
        await this.epayment.cancel(target.msn, target.reference, key);
        return;
    }
  }
}
