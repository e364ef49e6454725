import { Injectable, Logger } from '@nestjs/common';
import { OutboxRepository, type AttemptPatch } from '@app/persistence';
import { OperationReportService } from '../merchant-api/operation-report.service';
import { AttemptPatchService } from './attempt-patch.service';

/**
 * Delivers outbox rows to MobilePay. The row was written in the same transaction as the state it
 * reports, so a crash anywhere before MobilePay's answer only means the row is delivered later.
 * A delivery that MobilePay did not answer within the guide's retry budget returns when to
 * deliver again; the same job then waits until that time (it never retries at once).
 */
@Injectable()
export class ReportDeliveryService {
  private readonly logger = new Logger(ReportDeliveryService.name);

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly attemptPatches: AttemptPatchService,
    private readonly operationReports: OperationReportService,
  ) {}

  async deliver(outboxId: string): Promise<Date | undefined> {
    const message = await this.outbox.findById(outboxId);
    if (!message || message.status !== 'PENDING') return undefined;
    switch (message.kind) {
      case 'PATCH_AUTHORIZATION_ATTEMPT':
        return this.attemptPatches.deliver(message.id, message.payload as unknown as AttemptPatch);
      case 'REPORT_CAPTURE':
      case 'REPORT_CANCEL':
      case 'REPORT_REFUND':
        return this.operationReports.deliver(message);
    }
  }
}
