import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Queue } from 'bullmq';
import { startTelemetry, stopTelemetry } from '@app/observability';
import { JobProducer } from './job-producer';

interface Added {
  name: string;
  data: Record<string, unknown>;
}

function fakeQueue(added: Added[]): Queue {
  return {
    add: (name: string, data: Record<string, unknown>) => {
      added.push({ name, data });
      return Promise.resolve();
    },
    addBulk: (jobs: Added[]) => {
      added.push(...jobs.map(({ name, data }) => ({ name, data })));
      return Promise.resolve();
    },
  } as unknown as Queue;
}

function setup() {
  const added: Added[] = [];
  const queue = fakeQueue(added);
  const sut = new JobProducer(queue, queue);
  return { sut, added };
}

beforeAll(() =>
  startTelemetry({ enabled: false }, 'job-producer-spec', new InMemorySpanExporter()),
);
afterAll(() => stopTelemetry());

describe('JobProducer trace context', () => {
  it('puts the active W3C trace context into every job it adds, next to the ids', async () => {
    const { sut, added } = setup();
    const traceId = await trace.getTracer('spec').startActiveSpan('callback', async (span) => {
      await sut.authorizeWithWatchdog('attempt-1', new Date(Date.now() + 30_000));
      await sut.deliverReport('outbox-1');
      span.end();
      return span.spanContext().traceId;
    });
    expect(added.map((job) => job.name)).toEqual([
      'authorize',
      'deadline-watchdog',
      'deliver-report',
    ]);
    for (const job of added) {
      expect(Object.keys(job.data).sort()).toEqual([
        job.name === 'deliver-report' ? 'outboxId' : 'attemptId',
        'traceContext',
      ]);
      expect(job.data.traceContext).toEqual({
        traceparent: expect.stringMatching(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`)),
      });
    }
  });

  it('adds no trace context outside a trace', async () => {
    const { sut, added } = setup();
    await sut.deliverReport('outbox-2');
    expect(added[0].data).toEqual({ outboxId: 'outbox-2' });
  });
});
