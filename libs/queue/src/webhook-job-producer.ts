import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { JobName, QueueName, jobId, type JobPayloads } from './queue-registry';

/**
 * Jobs of the merchant webhooks queue: one job per delivery attempt, delayed until it is due.
 * Retries are scheduled in Postgres (the delivery row), not by BullMQ, so the delivery log and the
 * 24 h+ retry window survive a Redis that lost its jobs.
 */
@Injectable()
export class WebhookJobProducer {
  constructor(@InjectQueue(QueueName.MerchantWebhooks) private readonly webhooks: Queue) {}

  async deliverWebhook(deliveryId: string, attempt: number, delayMs = 0): Promise<void> {
    const data: JobPayloads[typeof JobName.DeliverWebhook] = { deliveryId, attempt };
    await this.webhooks.add(JobName.DeliverWebhook, data, {
      jobId: jobId.deliverWebhook(deliveryId, attempt),
      delay: Math.max(0, delayMs),
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 86_400 },
      // Only infrastructure failures reach BullMQ; HTTP failures are rescheduled by the handler.
      attempts: 3,
      backoff: { type: 'exponential', delay: 1_000 },
    });
  }

  /** Best effort: a job that cannot be queued now is found overdue by the janitor later. */
  async tryDeliverWebhook(deliveryId: string, attempt: number, delayMs = 0): Promise<boolean> {
    try {
      await this.deliverWebhook(deliveryId, attempt, delayMs);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * For the janitor: makes sure an overdue delivery has a live job for its next attempt — a job
   * BullMQ gave up on is retried, a missing one (e.g. Redis lost it) is added.
   */
  async redriveWebhook(deliveryId: string, attempt: number): Promise<void> {
    const job = await this.webhooks.getJob(jobId.deliverWebhook(deliveryId, attempt));
    if (!job) return this.deliverWebhook(deliveryId, attempt);
    if (await job.isFailed()) await job.retry('failed');
  }

  /** An operator's "retry now": the delayed job of the delivery's next attempt runs at once. */
  async deliverWebhookNow(deliveryId: string, attempt: number): Promise<void> {
    const job = await this.webhooks.getJob(jobId.deliverWebhook(deliveryId, attempt));
    if (!job) return this.deliverWebhook(deliveryId, attempt);
    if (await job.isDelayed()) return job.promote();
    if (await job.isFailed()) await job.retry('failed');
  }
}
