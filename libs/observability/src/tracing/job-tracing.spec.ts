import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTelemetry, stopTelemetry } from '../telemetry';
import { currentTraceCarrier, runInSpan, runJobInSpan } from './job-tracing';

const PAN = '4111111111111111';
const exporter = new InMemorySpanExporter();

beforeAll(() => {
  startTelemetry({ enabled: false }, 'job-tracing-spec', exporter);
});

afterAll(async () => {
  await stopTelemetry();
});

beforeEach(() => exporter.reset());

const byName = (name: string): ReadableSpan => {
  const span = exporter.getFinishedSpans().find((s) => s.name === name);
  if (!span) throw new Error(`no span ${name}`);
  return span;
};

describe('trace context through a job', () => {
  it('continues the producer’s trace in the job span and its children', async () => {
    const carrier = trace
      .getTracer('spec')
      .startActiveSpan('POST /callbacks/mobilepay/card-data', { kind: SpanKind.SERVER }, (span) => {
        const injected = currentTraceCarrier();
        span.end();
        return injected;
      });
    expect(carrier?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    const job = {
      id: 'attempt-1',
      name: 'authorize',
      queueName: 'authorization',
      attemptsMade: 0,
      data: { attemptId: 'attempt-1', traceContext: carrier },
    };
    await runJobInSpan(job, { 'psp.attempt.id': 'attempt-1' }, () =>
      runInSpan(
        'acquirer.authorize',
        { 'psp.acquirer': 'rest-acquirer' },
        () => Promise.resolve({ kind: 'approved' }),
        (result) => ({ 'psp.acquirer.outcome': result.kind }),
      ),
    );

    const callback = byName('POST /callbacks/mobilepay/card-data');
    const authorize = byName('authorize');
    const acquirer = byName('acquirer.authorize');
    const traceId = callback.spanContext().traceId;
    expect(authorize.spanContext().traceId).toBe(traceId);
    expect(acquirer.spanContext().traceId).toBe(traceId);
    expect(authorize.parentSpanContext?.spanId).toBe(callback.spanContext().spanId);
    expect(acquirer.parentSpanContext?.spanId).toBe(authorize.spanContext().spanId);
    expect(authorize.kind).toBe(SpanKind.CONSUMER);
    expect(authorize.attributes).toMatchObject({
      'messaging.system': 'bullmq',
      'messaging.destination.name': 'authorization',
      'psp.job.attempt': 1,
      'psp.attempt.id': 'attempt-1',
    });
    expect(acquirer.attributes['psp.acquirer.outcome']).toBe('approved');
  });

  it('starts a new trace for a job without a carrier, and carries nothing outside a span', async () => {
    expect(currentTraceCarrier()).toBeUndefined();
    const job = {
      name: 'deliver-report',
      queueName: 'q',
      attemptsMade: 2,
      data: { outboxId: 'o' },
    };
    await runJobInSpan(job, {}, () => Promise.resolve());
    const span = byName('deliver-report');
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.attributes['psp.job.attempt']).toBe(3);
  });

  it('marks a failed job span with the error type only', async () => {
    const job = { name: 'authorize', queueName: 'q', attemptsMade: 0, data: {} };
    class RetryLaterError extends Error {}
    await expect(
      runJobInSpan(job, {}, () => Promise.reject(new RetryLaterError(`card ${PAN} timed out`))),
    ).rejects.toThrow(RetryLaterError);
    const span = byName('authorize');
    expect(span.status).toEqual({ code: 2, message: 'RetryLaterError' });
    expect(JSON.stringify(span.attributes)).not.toContain(PAN);
  });
});

describe('span redaction on export', () => {
  it('cuts query strings, drops headers, censors secrets and masks card numbers', () => {
    trace.getTracer('spec').startActiveSpan('leaky', (span) => {
      span.setAttributes({
        'url.full': 'https://acquirer.example/v1/authorizations?token=s3cr3t&pan=' + PAN,
        'http.target': '/callbacks/mobilepay/card-data?sig=abc',
        'url.query': 'token=s3cr3t',
        'http.request.header.authorization': 'Bearer s3cr3t',
        'psp.cryptogram': 'AgAAAAAAAIR8CQrXcIhbQAAAAAA=',
        note: `customer typed ${PAN}`,
        list: [`x ${PAN}`],
      });
      span.recordException(new Error(`acquirer refused ${PAN}`));
      span.end();
    });
    const [span] = exporter.getFinishedSpans();
    expect(span.attributes).toEqual({
      'url.full': 'https://acquirer.example/v1/authorizations',
      'http.target': '/callbacks/mobilepay/card-data',
      'psp.cryptogram': '[redacted]',
      note: 'customer typed 411111******1111',
      list: ['x 411111******1111'],
    });
    const exported = JSON.stringify({ attributes: span.attributes, events: span.events });
    expect(exported).not.toContain(PAN);
    expect(exported).not.toContain('s3cr3t');
    expect(exported).toContain('acquirer refused 411111******1111');
  });
});
