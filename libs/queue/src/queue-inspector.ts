import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Job, Queue } from 'bullmq';
import { scrubCardNumbers, type QueueStats } from '@app/observability';
import { QueueName } from './queue-registry';

const COUNTED_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed', 'paused'] as const;

export interface FailedJobView {
  id: string;
  name: string;
  queue: QueueName;
  attemptsMade: number;
  failedReason: string;
  createdAt: string;
  failedAt: string | null;
  /** The job's ids (payloads never hold card data); the trace context is left out. */
  data: Record<string, string>;
}

export type RetryOutcome = 'retried' | 'not-found' | 'not-failed';

/** Read and repair access to every queue of the registry: metrics, the admin API, the dashboard. */
@Injectable()
export class QueueInspector {
  private queueCache?: ReadonlyMap<QueueName, Queue>;

  constructor(private readonly moduleRef: ModuleRef) {}

  /** Every registered queue, by name (new queues in the registry are picked up by themselves). */
  queues(): ReadonlyMap<QueueName, Queue> {
    this.queueCache ??= new Map(
      Object.values(QueueName).map((name) => [
        name,
        this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }),
      ]),
    );
    return this.queueCache;
  }

  /**
   * BullMQ needs Redis to keep every key: with an evicting policy, jobs (and their locks) vanish
   * under memory pressure. Returns the policy when it is not `noeviction`, for a loud boot log.
   */
  async evictionPolicyProblem(): Promise<string | undefined> {
    const client = (await this.queues().values().next().value!.client) as unknown as {
      config(op: 'GET', key: string): Promise<string[]>;
    };
    try {
      const [, policy] = await client.config('GET', 'maxmemory-policy');
      return policy === 'noeviction' ? undefined : policy;
    } catch {
      return undefined; // CONFIG may be disabled on managed Redis; nothing to say then.
    }
  }

  isQueueName(name: string): name is QueueName {
    return (Object.values(QueueName) as string[]).includes(name);
  }

  /** Depth per state and the age of the oldest job waiting, per queue. */
  async stats(now: number = Date.now()): Promise<QueueStats[]> {
    return Promise.all(
      [...this.queues()].map(async ([name, queue]) => {
        const counts = await queue.getJobCounts(...COUNTED_STATES);
        const [oldest] = await queue.getJobs(['wait'], 0, 0, true);
        return {
          queue: name,
          counts,
          oldestWaitingAgeSeconds: oldest ? waitingSince(oldest, now) : 0,
        };
      }),
    );
  }

  async failed(name: QueueName, limit: number): Promise<FailedJobView[]> {
    const jobs = await this.queues()
      .get(name)!
      .getFailed(0, Math.max(0, limit - 1));
    return jobs.filter(Boolean).map((job) => view(name, job));
  }

  async retry(name: QueueName, jobId: string): Promise<RetryOutcome> {
    const job = await this.queues().get(name)!.getJob(jobId);
    if (!job) return 'not-found';
    if ((await job.getState()) !== 'failed') return 'not-failed';
    await job.retry('failed');
    return 'retried';
  }
}

function waitingSince(job: Job, now: number): number {
  return Math.max(0, now - job.timestamp - (job.opts.delay ?? 0)) / 1000;
}

function view(queue: QueueName, job: Job): FailedJobView {
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries((job.data ?? {}) as Record<string, unknown>)) {
    if (key !== 'traceContext' && typeof value === 'string') data[key] = scrubCardNumbers(value);
  }
  return {
    id: job.id ?? '',
    name: job.name,
    queue,
    attemptsMade: job.attemptsMade,
    failedReason: scrubCardNumbers(job.failedReason ?? ''),
    createdAt: new Date(job.timestamp).toISOString(),
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    data,
  };
}
