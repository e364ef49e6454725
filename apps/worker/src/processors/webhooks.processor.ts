import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobName, QueueName, type JobPayloads } from '@app/queue';
import { WebhookDeliveryService } from '../merchant-api/webhook-delivery.service';
import type { HandledJobs } from './job-handlers';

@Processor(QueueName.MerchantWebhooks, {
  concurrency: 8,
  lockDuration: 30_000,
  stalledInterval: 15_000,
  maxStalledCount: 3,
})
export class WebhooksProcessor extends WorkerHost {
  static readonly handles: HandledJobs = {
    queue: QueueName.MerchantWebhooks,
    jobs: [JobName.DeliverWebhook],
  };

  constructor(private readonly service: WebhookDeliveryService) {
    super();
  }

  async process(job: Job): Promise<void> {
    if (job.name !== JobName.DeliverWebhook) throw new Error(`job ${job.name} does not run here`);
    const { deliveryId, attempt } = job.data as JobPayloads['deliver-webhook'];
    return this.service.deliver(deliveryId, attempt);
  }
}
