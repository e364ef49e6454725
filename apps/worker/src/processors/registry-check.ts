import { JOB_QUEUE, JobName } from '@app/queue';
import type { HandledJobs } from './job-handlers';

/** Fails boot unless every job in the registry has exactly one processor, on its own queue. */
export function assertEveryJobHandled(processors: readonly HandledJobs[]): void {
  const problems: string[] = [];
  for (const job of Object.values(JobName)) {
    const handlers = processors.filter((p) => p.jobs.includes(job));
    if (handlers.length !== 1) problems.push(`${job}: ${handlers.length} processors`);
    else if (handlers[0].queue !== JOB_QUEUE[job])
      problems.push(`${job}: handled on ${handlers[0].queue}, queued on ${JOB_QUEUE[job]}`);
  }
  if (problems.length > 0) throw new Error(`job registry check failed: ${problems.join('; ')}`);
}
