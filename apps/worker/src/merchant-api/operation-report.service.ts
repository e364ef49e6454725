import { Injectable, Logger } from '@nestjs/common';
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
      if (error instanceof MobilePayError && !error.transient) {
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
    const options = { correlationId: report.operationId };
    const { amount, timestamp } = report.body;
    switch (report.kind) {
      case 'capture':
        await this.mobilePay.reportCapture(
          report.mobilePayPaymentId,
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
          report.mobilePayPaymentId,
          { cancelIdentifier: report.body.cancelIdentifier!, amount, timestamp },
          options,
        );
        return;
      case 'refund':
        await this.mobilePay.reportRefund(
          report.mobilePayPaymentId,
          { refundIdentifier: report.body.refundIdentifier!, amount, timestamp },
          options,
        );
        return;
    }
  }
}
