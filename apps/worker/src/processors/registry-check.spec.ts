import { JobName, QueueName } from '@app/queue';
import { AuthorizationProcessor } from './authorization.processor';
import type { HandledJobs } from './job-handlers';
import { ReportsProcessor } from './reports.processor';
import { WebhooksProcessor } from './webhooks.processor';
import { PosProcessor } from '../pos/pos.processor';
import { assertEveryJobHandled } from './registry-check';

describe('assertEveryJobHandled', () => {
  const real = [
    AuthorizationProcessor.handles,
    ReportsProcessor.handles,
    WebhooksProcessor.handles,
    PosProcessor.handles,
  ];

  it('passes for the processors the worker registers', () => {
    expect(() => assertEveryJobHandled(real)).not.toThrow();
  });

  it('fails when a job has no handler', () => {
    const withoutWatchdog: HandledJobs = {
      queue: QueueName.Authorization,
      jobs: [JobName.Authorize],
    };
    expect(() => assertEveryJobHandled([withoutWatchdog, ReportsProcessor.handles])).toThrow(
      /deadline-watchdog: 0 processors/,
    );
    expect(() => assertEveryJobHandled([AuthorizationProcessor.handles])).toThrow(
      /deliver-report: 0 processors/,
    );
    expect(() => assertEveryJobHandled([])).toThrow(/job registry check failed/);
  });

  it('fails when a job has two handlers', () => {
    const duplicate: HandledJobs = { queue: QueueName.Authorization, jobs: [JobName.Authorize] };
    expect(() => assertEveryJobHandled([...real, duplicate])).toThrow(/authorize: 2 processors/);
  });

  it('fails when a job is handled on a queue it is not queued on', () => {
    const wrongQueue: HandledJobs = {
      queue: QueueName.Authorization,
      jobs: [JobName.DeliverReport],
    };
    expect(() => assertEveryJobHandled([AuthorizationProcessor.handles, wrongQueue])).toThrow(
      /deliver-report: handled on authorization, queued on mobilepay-reports/,
    );
  });

  it('lists every problem at once', () => {
    let message = '';
    try {
      assertEveryJobHandled([{ queue: QueueName.MobilePayReports, jobs: [JobName.Authorize] }]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('authorize: handled on mobilepay-reports');
    expect(message).toContain('deadline-watchdog: 0 processors');
    expect(message).toContain('deliver-report: 0 processors');
  });
});
