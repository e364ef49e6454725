import type { Job } from 'bullmq';
import { runJobInSpan } from '@app/observability';

/**
 * Runs a job's handler in a span named after the job (`authorize`, `deliver-report`, …) that
 * continues the trace the producer put into the job. Attributes are the ids the job carries.
 */
export function traceJob<T>(job: Job, handler: () => Promise<T>): Promise<T> {
  const data = job.data as { attemptId?: unknown; outboxId?: unknown };
  return runJobInSpan(
    { id: job.id, name: job.name, queueName: job.queueName, attemptsMade: job.attemptsMade, data },
    {
      ...(typeof data.attemptId === 'string' ? { 'psp.attempt.id': data.attemptId } : {}),
      ...(typeof data.outboxId === 'string' ? { 'psp.outbox.id': data.outboxId } : {}),
    },
    handler,
  );
}
