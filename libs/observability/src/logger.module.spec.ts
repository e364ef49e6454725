import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { pinoHttp } from 'pino-http';
import { accessLogOptions } from './logger.module';
import { startTelemetry, stopTelemetry } from './telemetry';

/** pino-http with the service's access-log options, in front of a real HTTP server. */
async function serve(status: number) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const log = pinoHttp(accessLogOptions({ level: 'info', service: 'spec' }, destination));
  const tracer = trace.getTracer('spec');
  const server: Server = createServer((req, res) =>
    tracer.startActiveSpan('GET /things', (span) => {
      log(req, res);
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end('done', () => span.end());
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { lines, url, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('access log', () => {
  beforeAll(() => {
    startTelemetry({ enabled: false }, 'access-log-spec', new InMemorySpanExporter());
  });
  afterAll(async () => {
    await stopTelemetry();
  });

  it.each([200, 404, 503])('logs the status code the client got (%i)', async (status) => {
    const sut = await serve(status);
    try {
      await (await fetch(`${sut.url}/things?secret=abc`)).text();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const completed = sut.lines.filter((l) => typeof l.res === 'object');
      expect(completed).toHaveLength(1);
      expect(completed[0]).toMatchObject({
        res: { statusCode: status },
        req: { method: 'GET', url: '/things' },
      });
      // The query string (callback secrets may ride in it) is not logged.
      expect(JSON.stringify(sut.lines)).not.toContain('abc');
      // The line names the trace it belongs to.
      expect(completed[0].trace_id).toMatch(/^[0-9a-f]{32}$/);
    } finally {
      await sut.close();
    }
  });

  it('does not log probes', async () => {
    const sut = await serve(200);
    try {
      await (await fetch(`${sut.url}/health/ready`)).text();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(sut.lines).toHaveLength(0);
    } finally {
      await sut.close();
    }
  });
});
