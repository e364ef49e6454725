import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import Fastify from 'fastify';
import { PspMetrics, startTelemetry, stopTelemetry } from '@app/observability';
import { observeHttp } from './http-observer';

const exporter = new InMemorySpanExporter();

beforeAll(() => {
  startTelemetry({ enabled: false }, 'http-observer-spec', exporter);
});

afterAll(async () => {
  await stopTelemetry();
});

async function setup() {
  const metrics = PspMetrics.create({
    prometheus: true,
    otlp: false,
    otlpIntervalMs: 60_000,
    serviceName: 'http-observer-spec',
  });
  const sut = Fastify();
  observeHttp(sut, metrics);
  sut.get('/v1/payments/:id', () => ({ ok: true }));
  await sut.ready();
  /** As the HTTP instrumentation leaves it: a server span named after the method only. */
  const request = (method: 'GET' | 'POST', url: string) =>
    trace.getTracer('spec').startActiveSpan(method, { kind: SpanKind.SERVER }, async (span) => {
      const response = await sut.inject({ method, url });
      span.end();
      // The first export waits for the SDK's resource detection.
      const { spanId } = span.spanContext();
      const exported = () =>
        exporter.getFinishedSpans().find((s) => s.spanContext().spanId === spanId);
      for (let i = 0; i < 100 && !exported(); i++) await new Promise((r) => setTimeout(r, 20));
      return { response, span: exported()! };
    });
  return { sut, metrics, request };
}

describe('observeHttp', () => {
  beforeEach(() => exporter.reset());

  it('names the server span after the route, never the path with its ids', async () => {
    const { sut, metrics, request } = await setup();
    const { response, span } = await request(
      'GET',
      '/v1/payments/4c1b7f0e-1111-4222-8333-444455556666',
    );
    expect(response.statusCode).toBe(200);
    expect(span.name).toBe('GET /v1/payments/:id');
    expect(span.attributes['http.route']).toBe('/v1/payments/:id');
    await sut.close();
    await metrics.onApplicationShutdown();
  });

  it('counts requests by method, route and status; unknown paths as one series', async () => {
    const { sut, metrics, request } = await setup();
    await request('GET', '/v1/payments/a');
    await request('GET', '/v1/payments/b');
    const { span } = await request('POST', '/made/up/4c1b7f0e');
    expect(span.name).toBe('POST');
    const text = (await metrics.prometheusText())!;
    expect(text).toMatch(
      /^http_server_request_duration_seconds_count\{method="GET",route="\/v1\/payments\/:id",status="200"\} 2$/m,
    );
    expect(text).toMatch(
      /^http_server_request_duration_seconds_count\{method="POST",route="unmatched",status="404"\} 1$/m,
    );
    expect(text).not.toContain('4c1b7f0e');
    await sut.close();
    await metrics.onApplicationShutdown();
  });
});
