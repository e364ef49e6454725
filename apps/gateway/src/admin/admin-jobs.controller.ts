import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/domain';
import { type FailedJobView, QueueInspector, type QueueName } from '@app/queue';
import { parseQuery } from '../common/parse-body';
import { AdminAuthGuard } from '../merchants/auth.guard';
import { failedJobsQuerySchema } from './admin-jobs.dto';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

/** Back office: dead (failed) jobs per queue, and a retry for one of them. */
@Controller('v1/admin/jobs')
@UseGuards(AdminAuthGuard)
export class AdminJobsController {
  constructor(private readonly queues: QueueInspector) {}

  @Get('failed')
  async failed(@Query() query: unknown): Promise<{ jobs: FailedJobView[] }> {
    const { queue, limit } = parseQuery(failedJobsQuerySchema, query);
    const names = queue ? [this.queueName(queue)] : [...this.queues.queues().keys()];
    const max = parseLimit(limit);
    const perQueue = await Promise.all(names.map((name) => this.queues.failed(name, max)));
    return { jobs: perQueue.flat() };
  }

  @Post(':queue/:jobId/retry')
  @HttpCode(200)
  async retry(
    @Param('queue') queue: string,
    @Param('jobId') jobId: string,
  ): Promise<{ status: 'retried'; queue: QueueName; jobId: string }> {
    const name = this.queueName(queue);
    const outcome = await this.queues.retry(name, jobId);
    if (outcome === 'not-found') throw new DomainError(ErrorCode.NotFound, 'no such job');
    if (outcome === 'not-failed') {
      throw new DomainError(ErrorCode.JobNotFailed, 'only a failed job can be retried');
    }
    return { status: 'retried', queue: name, jobId };
  }

  private queueName(queue: string): QueueName {
    if (!this.queues.isQueueName(queue)) {
      throw new DomainError(ErrorCode.ValidationFailed, 'unknown queue', {
        queues: [...this.queues.queues().keys()],
      });
    }
    return queue;
  }
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LIMIT;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new DomainError(ErrorCode.ValidationFailed, `limit must be 1–${MAX_LIMIT}`);
  }
  return limit;
}
