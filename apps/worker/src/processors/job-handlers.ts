import type { JobName, QueueName } from '@app/queue';

/** What a processor declares it handles; checked against the registry at boot. */
export interface HandledJobs {
  readonly queue: QueueName;
  readonly jobs: readonly JobName[];
}
