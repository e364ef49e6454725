import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { DomainError, ErrorCode } from '@app/domain';
import { currentTraceCarrier } from '@app/observability';
import { KEEP, removeFinishedJob } from './finished-jobs';
import { JobName, QueueName, jobId, type JobPayloads } from './queue-registry';

/** Typed producer for every job in the registry; callers never see queue or job name strings. */
@Injectable()
export class JobProducer {
  constructor(
    @InjectQueue(QueueName.Authorization) private readonly authorization: Queue,
    @InjectQueue(QueueName.MobilePayReports) private readonly reports: Queue,
  ) {}

  async authorize(attemptId: string): Promise<void> {
    const data: JobPayloads[typeof JobName.Authorize] = { attemptId };
    await this.add(this.authorization, JobName.Authorize, data, this.authorizeOptions(attemptId));
  }

  /** The intake's two jobs in one round trip to Redis: authorize now, watchdog before the deadline. */
  async authorizeWithWatchdog(attemptId: string, fireAt: Date): Promise<void> {
    try {
      await this.authorization.addBulk([
        {
          name: JobName.Authorize,
          data: traced({ attemptId }),
          opts: this.authorizeOptions(attemptId),
        },
        {
          name: JobName.DeadlineWatchdog,
          data: traced({ attemptId }),
          opts: this.watchdogOptions(attemptId, fireAt),
        },
      ]);
    } catch {
      throw new DomainError(ErrorCode.ServiceUnavailable, 'job queue is unavailable, try again');
    }
  }

  /** Fires shortly before MobilePay's PATCH deadline, to fail the attempt in time if still open. */
  async deadlineWatchdog(attemptId: string, fireAt: Date): Promise<void> {
    const data: JobPayloads[typeof JobName.DeadlineWatchdog] = { attemptId };
    await this.add(
      this.authorization,
      JobName.DeadlineWatchdog,
      data,
      this.watchdogOptions(attemptId, fireAt),
    );
  }

  /** Authorization again, with the 3-D Secure result, after the challenge passed. */
  async reauthorize(attemptId: string): Promise<void> {
    const data: JobPayloads[typeof JobName.Authorize] = { attemptId };
    await this.add(this.authorization, JobName.Authorize, data, {
      ...this.authorizeOptions(attemptId),
      jobId: jobId.reauthorize(attemptId),
    });
  }

  /**
   * Voids an authorization that must not stand; retried for a day with growing pauses. A reversal
   * that already ran (say it found nothing, and the approval landed later) is run again.
   */
  async reverseAuthorization(attemptId: string): Promise<void> {
    const data: JobPayloads[typeof JobName.ReverseAuthorization] = { attemptId };
    await removeFinishedJob(this.authorization, jobId.reverse(attemptId));
    await this.add(this.authorization, JobName.ReverseAuthorization, data, {
      ...KEEP,
      jobId: jobId.reverse(attemptId),
      attempts: 20,
      backoff: { type: 'exponential', delay: 1_000 },
    });
  }

  /**
   * One attempt only: the retry budget MobilePay's guide allows lives in the client, and a
   * delivery that exhausts it is moved to a later time by the worker, never retried at once (job
   * retries would multiply the budget). A job that fails for another reason (say Postgres was
   * down) is picked up again by the janitor.
   */
  async deliverReport(outboxId: string): Promise<void> {
    const data: JobPayloads[typeof JobName.DeliverReport] = { outboxId };
    await this.add(this.reports, JobName.DeliverReport, data, this.reportOptions(outboxId));
  }

  /**
   * The report's delivery job, due at `at`: a delayed one is moved to that time, a finished one
   * replaced; one waiting or running is left as it is. Used behind a PATCH sent straight from
   * the authorization (so the janitor sees live work, and a crash mid-send is covered) and for
   * the later delivery when that send used up its retry budget.
   */
  async deliverReportAt(outboxId: string, at: Date): Promise<void> {
    const id = jobId.deliverReport(outboxId);
    const delay = Math.max(0, at.getTime() - Date.now());
    try {
      const existing = await this.reports.getJob(id);
      if (existing && (await existing.isDelayed())) return await existing.changeDelay(delay);
    } catch {
      throw new DomainError(ErrorCode.ServiceUnavailable, 'job queue is unavailable, try again');
    }
    await removeFinishedJob(this.reports, id);
    const data: JobPayloads[typeof JobName.DeliverReport] = { outboxId };
    await this.add(this.reports, JobName.DeliverReport, data, {
      ...this.reportOptions(outboxId),
      delay,
    });
  }

  /** An operator's retry of a report that exhausted its retries: the finished job makes way. */
  async retryReport(outboxId: string): Promise<void> {
    await removeFinishedJob(this.reports, jobId.deliverReport(outboxId));
    await this.deliverReport(outboxId);
  }

  private reportOptions(outboxId: string): JobsOptions {
    return { ...KEEP, jobId: jobId.deliverReport(outboxId), attempts: 1 };
  }

  private authorizeOptions(attemptId: string): JobsOptions {
    return {
      ...KEEP,
      jobId: jobId.authorize(attemptId),
      attempts: 5,
      backoff: { type: 'exponential', delay: 250 },
    };
  }

  private watchdogOptions(attemptId: string, fireAt: Date): JobsOptions {
    return {
      ...KEEP,
      jobId: jobId.deadlineWatchdog(attemptId, fireAt),
      delay: Math.max(0, fireAt.getTime() - Date.now()),
      attempts: 3,
      backoff: { type: 'fixed', delay: 200 },
    };
  }

  /**
   * For the janitor: makes sure work found pending in Postgres has a live job. A job id that
   * still sits in the failed set is retried; one that is gone (e.g. Redis lost it) is added again.
   */
  async redriveAuthorize(attemptId: string): Promise<void> {
    if (!(await this.retryIfFailed(this.authorization, jobId.authorize(attemptId)))) {
      await this.authorize(attemptId);
    }
  }

  /**
   * For the janitor: the watchdog of an attempt's current deadline. One that ran out of its
   * retries sits in the failed set under the same job id, where adding it again does nothing: it
   * is retried instead, so an open attempt is never left without a watchdog before its deadline.
   */
  async redriveWatchdog(attemptId: string, fireAt: Date): Promise<void> {
    const id = jobId.deadlineWatchdog(attemptId, fireAt);
    if (!(await this.retryIfFailed(this.authorization, id))) {
      await this.deadlineWatchdog(attemptId, fireAt);
    }
  }

  async redriveReport(outboxId: string): Promise<void> {
    if (!(await this.retryIfFailed(this.reports, jobId.deliverReport(outboxId)))) {
      await this.deliverReport(outboxId);
    }
  }

  private async retryIfFailed(queue: Queue, id: string): Promise<boolean> {
    const job = await queue.getJob(id);
    if (!job) return false;
    if (await job.isFailed()) await job.retry('failed');
    return true;
  }

  /** Redis unreachable is a temporary condition for the caller: MobilePay retries callbacks. */
  private async add(queue: Queue, name: JobName, data: object, opts: JobsOptions): Promise<void> {
    try {
      await queue.add(name, traced(data), opts);
    } catch {
      throw new DomainError(ErrorCode.ServiceUnavailable, 'job queue is unavailable, try again');
    }
  }

  async isHealthy(): Promise<boolean> {
    try {
      const client = (await this.authorization.client) as unknown as { ping(): Promise<string> };
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }
}

/**
 * The producer's trace context rides along in the job (`traceContext`: W3C traceparent, ids
 * only), so the worker's span continues the callback's trace.
 */
function traced<T extends object>(data: T): T & { traceContext?: Record<string, string> } {
  const traceContext = currentTraceCarrier();
  return traceContext ? { ...data, traceContext } : data;
}
