import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, Worker } from 'bullmq';
import { JobProducer, QueueName } from '@app/queue';

jest.setTimeout(30_000);

const connection = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };

/** Real Redis, a queue prefix of its own: the janitor's redrive of a watchdog that failed. */
describe('JobProducer.redriveWatchdog', () => {
  const prefix = `psp-int-${randomUUID()}`;
  const authorization = new Queue(QueueName.Authorization, { connection, prefix });
  const reports = new Queue(QueueName.MobilePayReports, { connection, prefix });
  const producer = new JobProducer(authorization, reports);

  afterAll(async () => {
    await authorization.obliterate({ force: true });
    await reports.obliterate({ force: true });
    await authorization.close();
    await reports.close();
  });

  it('retries a watchdog that ran out of its retries, where adding it again would do nothing', async () => {
    const fireAt = new Date(Date.now() - 1_000);
    let runs = 0;
    const worker = new Worker(
      QueueName.Authorization,
      () => {
        runs++;
        return Promise.reject(new Error('Postgres unavailable'));
      },
      { connection, prefix },
    );
    try {
      await producer.deadlineWatchdog('attempt-1', fireAt);
      const id = `deadline-attempt-1-${fireAt.getTime()}`;
      const failed = async () => (await authorization.getJob(id))?.isFailed();
      for (let i = 0; i < 100 && !(await failed()); i++) await sleep(100);
      expect(await failed()).toBe(true);
      const runsWhenFailed = runs;

      // Adding it again, as the janitor did, leaves it failed: the attempt has no watchdog.
      await producer.deadlineWatchdog('attempt-1', fireAt);
      await sleep(500);
      expect(runs).toBe(runsWhenFailed);

      await producer.redriveWatchdog('attempt-1', fireAt);
      for (let i = 0; i < 100 && runs === runsWhenFailed; i++) await sleep(100);
      expect(runs).toBeGreaterThan(runsWhenFailed);
    } finally {
      await worker.close();
    }
  });
});
