import { Injectable, Logger } from '@nestjs/common';
import { EpaymentClient, EpaymentError } from '@app/epayment';
import { MobilePayClient, MobilePayError } from '@app/mobilepay';
import { OutboxRepository, type OperationReport, type OutboxMessage } from '@app/persistence';

/** Thrown to make BullMQ try again later; the outbox row stays PENDING meanwhile. */
export class ReportNotYetDelivered extends Error {}

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
    private readonly epayment: EpaymentClient,
  ) {}

  async deliver(message: OutboxMessage): Promise<void> {
    if (await this.outbox.hasOlderPending(message)) {
      throw new ReportNotYetDelivered('an older report of this payment is still pending');
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
        return;
      }
      await this.outbox.recordFailure(message.id, reason);
      throw new ReportNotYetDelivered(reason);
    }
    await this.outbox.markSent(message.id);
    this.logger.log(
      { operationId: report.operationId, kind: report.kind, amount: report.body.amount },
      'operation reported to MobilePay',
    );
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
