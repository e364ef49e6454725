import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobName, QueueName, type JobPayloads } from '@app/queue';
import type { HandledJobs } from '../processors/job-handlers';
import { traceJob } from '../processors/job-span';
import { PosPollingService } from './pos-polling.service';

/** In-store (PoS v10): polls of payments and refunds, and captures/cancels to deliver. */
@Processor(QueueName.PosPayments, {
  concurrency: 8,
  lockDuration: 15_000,
  stalledInterval: 5_000,
  maxStalledCount: 3,
})
export class PosProcessor extends WorkerHost {
  static readonly handles: HandledJobs = {
    queue: QueueName.PosPayments,
    jobs: [
      JobName.PollPosPayment,
      JobName.PollPosRefund,
      JobName.SettlePosPayment,
      JobName.SettlePosRefund,
    ],
  };

  constructor(private readonly polling: PosPollingService) {
    super();
  }

  process(job: Job): Promise<void> {
    return traceJob(job, () => this.handle(job));
  }

  private handle(job: Job): Promise<void> {
    switch (job.name) {
      case JobName.PollPosPayment: {
        const { posPaymentId, poll } = job.data as JobPayloads['poll-pos-payment'];
        return this.polling.pollPayment(posPaymentId, poll);
      }
      case JobName.PollPosRefund: {
        const { posRefundId, poll } = job.data as JobPayloads['poll-pos-refund'];
        return this.polling.pollRefund(posRefundId, poll);
      }
      case JobName.SettlePosPayment:
        return this.polling.settlePayment(
          (job.data as JobPayloads['settle-pos-payment']).posPaymentId,
        );
      case JobName.SettlePosRefund:
        return this.polling.settleRefund(
          (job.data as JobPayloads['settle-pos-refund']).posRefundId,
        );
      default:
        throw new Error(`job ${job.name} does not run here`);
    }
  }
}
