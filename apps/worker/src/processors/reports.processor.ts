import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ConcurrentWorkerHost } from './concurrent-worker-host';
import { DelayedError, type Job } from 'bullmq';
import { JobName, QueueName, type JobPayloads } from '@app/queue';
import { ReportDeliveryService } from '../services/report-delivery.service';
import type { HandledJobs } from './job-handlers';
import { traceJob } from './job-span';

@Processor(QueueName.MobilePayReports, {
  lockDuration: 10_000,
  stalledInterval: 5_000,
  maxStalledCount: 5,
})
export class ReportsProcessor extends ConcurrentWorkerHost {
  static readonly handles: HandledJobs = {
    queue: QueueName.MobilePayReports,
    jobs: [JobName.DeliverReport],
  };

  constructor(
    private readonly service: ReportDeliveryService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(config.worker);
  }

  process(job: Job, token?: string): Promise<void> {
    return traceJob(job, () => this.handle(job, token));
  }

  /**
   * A later delivery is the same job moved to the delayed set (same job id): the janitor still
   * finds it live and leaves it alone, and no BullMQ attempt is used up.
   */
  private async handle(job: Job, token?: string): Promise<void> {
    if (job.name !== JobName.DeliverReport) throw new Error(`job ${job.name} does not run here`);
    const next = await this.service.deliver((job.data as JobPayloads['deliver-report']).outboxId);
    if (!next) return;
    await job.moveToDelayed(next.getTime(), token);
    throw new DelayedError();
  }
}
