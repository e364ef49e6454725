import type { JobsOptions, Queue } from 'bullmq';

/** Finished jobs are kept a while for inspection (and so a repeated id is not queued twice). */
export const KEEP: JobsOptions = {
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 86_400 },
};

/**
 * A job that already ran (completed or failed) still holds its id, and BullMQ ignores an add
 * with that id: remove it so the id can be queued afresh. A waiting, delayed or active job stays.
 */
export async function removeFinishedJob(queue: Queue, id: string): Promise<void> {
  const job = await queue.getJob(id);
  if (job && ((await job.isCompleted()) || (await job.isFailed()))) await job.remove();
}
