import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ConcurrentWorkerHost } from './concurrent-worker-host';
import type { Job } from 'bullmq';
import { JobName, QueueName, type JobPayloads } from '@app/queue';
import { AuthorizeService } from '../services/authorize.service';
import type { HandledJobs } from './job-handlers';
import { traceJob } from './job-span';

@Processor(QueueName.Authorization, {
  lockDuration: 5_000,
  stalledInterval: 2_500,
  maxStalledCount: 5,
})
export class AuthorizationProcessor extends ConcurrentWorkerHost {
  static readonly handles: HandledJobs = {
    queue: QueueName.Authorization,
    jobs: [JobName.Authorize, JobName.DeadlineWatchdog, JobName.ReverseAuthorization],
  };

  constructor(
    private readonly service: AuthorizeService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(config.worker);
  }

  process(job: Job): Promise<void> {
    return traceJob(job, () => this.handle(job));
  }

  private async handle(job: Job): Promise<void> {
    const name = job.name as JobName;
    if (!isAuthorizationJob(name)) {
      throw new Error(`job ${job.name} does not run on ${QueueName.Authorization}`);
    }
    switch (name) {
      case JobName.Authorize:
        return this.service.authorize((job.data as JobPayloads['authorize']).attemptId);
      case JobName.DeadlineWatchdog:
        return this.service.enforceDeadline(
          (job.data as JobPayloads['deadline-watchdog']).attemptId,
        );
      case JobName.ReverseAuthorization:
        return this.service.reverse((job.data as JobPayloads['reverse-authorization']).attemptId);
    }
  }
}

type AuthorizationJob =
  typeof JobName.Authorize | typeof JobName.DeadlineWatchdog | typeof JobName.ReverseAuthorization;

function isAuthorizationJob(name: JobName): name is AuthorizationJob {
  return AuthorizationProcessor.handles.jobs.includes(name);
}
