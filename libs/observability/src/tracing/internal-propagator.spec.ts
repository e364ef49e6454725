import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTelemetry, stopTelemetry } from '../telemetry';
import { contextFromCarrier, currentTraceCarrier } from './job-tracing';

const FOREIGN = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

beforeAll(() => {
  startTelemetry({ enabled: false }, 'propagator-spec', new InMemorySpanExporter());
});

afterAll(async () => {
  await stopTelemetry();
});

const inSpan = <T>(fn: () => T): T =>
  trace.getTracer('spec').startActiveSpan('work', (span) => {
    try {
      return fn();
    } finally {
      span.end();
    }
  });

describe('trace context propagation', () => {
  it('puts no traceparent on an outgoing call (what HTTP instrumentations inject)', () => {
    const headers: Record<string, string> = {};
    inSpan(() => propagation.inject(context.active(), headers));
    expect(headers).toEqual({});
  });

  it('believes no traceparent a caller sends', () => {
    const extracted = propagation.extract(ROOT_CONTEXT, { traceparent: FOREIGN });
    expect(trace.getSpanContext(extracted)).toBeUndefined();
  });

  it('carries the trace through our own job queue, and not on from the job', () => {
    const carrier = inSpan(() => currentTraceCarrier());
    expect(carrier?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const parent = contextFromCarrier(carrier);
    expect(trace.getSpanContext(parent)?.traceId).toBe(carrier!.traceparent.split('-')[1]);
    // The job's own outgoing calls get no header either.
    const headers: Record<string, string> = {};
    propagation.inject(parent, headers);
    expect(headers).toEqual({});
  });
});
