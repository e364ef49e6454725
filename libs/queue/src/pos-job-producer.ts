import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { KEEP, removeFinishedJob } from './finished-jobs';
import { JobName, QueueName, jobId, type JobPayloads } from './queue-registry';

/**
 * Jobs of the in-store channel. Polls are delayed jobs, one per poll, with the delay chosen by
 * the caller from MobilePay's `pollDelayInMs`; the schedule itself lives in Postgres
 * (`nextPollAt`), so the janitor can re-queue a poll Redis lost.
 */
@Injectable()
export class PosJobProducer {
  constructor(@InjectQueue(QueueName.PosPayments) private readonly queue: Queue) {}

  async pollPayment(posPaymentId: string, poll: number, delayMs: number): Promise<void> {
    const data: JobPayloads[typeof JobName.PollPosPayment] = { posPaymentId, poll };
    await this.queue.add(JobName.PollPosPayment, data, {
      ...KEEP,
      jobId: jobId.pollPosPayment(posPaymentId, poll),
      delay: Math.max(0, delayMs),
      // Errors are rescheduled by the handler as the next poll; BullMQ retries infrastructure only.
      attempts: 3,
      backoff: { type: 'exponential', delay: 1_000 },
    });
  }

  async pollRefund(posRefundId: string, poll: number, delayMs: number): Promise<void> {
    const data: JobPayloads[typeof JobName.PollPosRefund] = { posRefundId, poll };
    await this.queue.add(JobName.PollPosRefund, data, {
      ...KEEP,
      jobId: jobId.pollPosRefund(posRefundId, poll),
      delay: Math.max(0, delayMs),
      attempts: 3,
      backoff: { type: 'exponential', delay: 1_000 },
    });
  }

  /** A capture or cancel MobilePay has not confirmed: retried for about an hour, then the janitor. */
  async settlePayment(posPaymentId: string, delayMs = 0): Promise<void> {
    const data: JobPayloads[typeof JobName.SettlePosPayment] = { posPaymentId };
    await this.addOrRetry(
      JobName.SettlePosPayment,
      jobId.settlePosPayment(posPaymentId),
      data,
      delayMs,
    );
  }

  async settleRefund(posRefundId: string, delayMs = 0): Promise<void> {
    const data: JobPayloads[typeof JobName.SettlePosRefund] = { posRefundId };
    await this.addOrRetry(
      JobName.SettlePosRefund,
      jobId.settlePosRefund(posRefundId),
      data,
      delayMs,
    );
  }

  /** Best effort for the gateway: Postgres holds the work, the janitor queues what is missing. */
  async tryPollPayment(posPaymentId: string, poll: number, delayMs: number): Promise<boolean> {
    return this.attempt(() => this.pollPayment(posPaymentId, poll, delayMs));
  }

  async tryPollRefund(posRefundId: string, poll: number, delayMs: number): Promise<boolean> {
    return this.attempt(() => this.pollRefund(posRefundId, poll, delayMs));
  }

  async trySettlePayment(posPaymentId: string, delayMs = 0): Promise<boolean> {
    return this.attempt(() => this.settlePayment(posPaymentId, delayMs));
  }

  async trySettleRefund(posRefundId: string, delayMs = 0): Promise<boolean> {
    return this.attempt(() => this.settleRefund(posRefundId, delayMs));
  }

  /**
   * For the janitor: poll `poll` is overdue. A job BullMQ gave up on is retried, a missing one
   * (Redis lost it, or it could not be queued) is added; a waiting or delayed one is left alone.
   */
  async redrivePoll(kind: 'payment' | 'refund', id: string, poll: number): Promise<void> {
    const key = kind === 'payment' ? jobId.pollPosPayment(id, poll) : jobId.pollPosRefund(id, poll);
    const job = await this.queue.getJob(key);
    if (job && (await job.isFailed())) return job.retry('failed');
    if (job && (await job.isCompleted())) await job.remove();
    else if (job) return;
    if (kind === 'payment') await this.pollPayment(id, poll, 0);
    else await this.pollRefund(id, poll, 0);
  }

  /** A settle job that already ran (completed or failed) is replaced by a fresh one. */
  private async addOrRetry(name: JobName, id: string, data: object, delayMs: number) {
    await removeFinishedJob(this.queue, id);
    await this.queue.add(name, data, {
      ...KEEP,
      jobId: id,
      delay: Math.max(0, delayMs),
      attempts: 12,
      backoff: { type: 'exponential', delay: 2_000 },
    });
  }

  private async attempt(run: () => Promise<void>): Promise<boolean> {
    try {
      await run();
      return true;
    } catch {
      return false;
    }
  }
}
