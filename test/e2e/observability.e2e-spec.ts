import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { http } from '../../scripts/stack/http';
import { visaTokenCallback } from '../../scripts/stack/mobilepay-callbacks';
import {
  createPayment,
  onboardMerchant,
  waitForFinalPatch,
  type DemoMerchant,
} from '../../scripts/stack/scenario';
import type { Stack } from '../../scripts/stack/stack';
import { startTestStack } from '../support/e2e-stack';
import { api } from '../support/merchant-api';
import { eventually } from '../support/eventually';
import { OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';

jest.setTimeout(120_000);

const PAN = '4111111111111111';
const SPAN_KIND = { server: 2, client: 3, consumer: 5 };

/** The headers of every request a merchant's webhook endpoint gets. */
async function headerRecorder(): Promise<{
  url: string;
  headers: IncomingHttpHeaders[];
  close(): Promise<void>;
}> {
  const headers: IncomingHttpHeaders[] = [];
  const server: Server = createServer((request, response) => {
    headers.push(request.headers);
    request.resume();
    request.on('end', () => response.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    headers,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('traces and metrics of a demo payment', () => {
  const receiver = new OtlpReceiver();
  let stack: Stack;
  let merchant: DemoMerchant;
  let webhooks: Awaited<ReturnType<typeof headerRecorder>>;

  beforeAll(async () => {
    webhooks = await headerRecorder();
    const endpoint = await receiver.start();
    const otel = {
      OTEL_ENABLED: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      // Export within 100 ms instead of the default 5 s batches.
      OTEL_BSP_SCHEDULE_DELAY: '100',
      METRICS_POLL_INTERVAL_MS: '300',
    };
    stack = await startTestStack({ gateway: otel, worker: otel });
    merchant = await onboardMerchant(stack);
    const hook = await api(stack, merchant.apiKey, 'POST', '/v1/webhook-endpoints', {
      url: webhooks.url,
    });
    expect(hook.status).toBe(201);
  });

  afterAll(async () => {
    await stack?.close();
    await receiver.stop();
    await webhooks?.close();
  });

  it('shows one trace from the MobilePay callback through the queue to the acquirer and the PATCH', async () => {
    const payment = await createPayment(stack, merchant, { allowedCardTypes: ['VISA-CREDIT'] });
    const { body: swiped } = await http<{ authorizationAttemptId: string }>(
      'POST',
      `${stack.urls.sandbox}/sandbox/v1/payments/${payment.mobilePayPaymentId}/swipe`,
      { cardNumber: PAN, cardType: 'VISA-CREDIT', tokenize: false },
    );
    const attempt = await waitForFinalPatch(
      stack,
      payment.mobilePayPaymentId,
      swiped.authorizationAttemptId,
    );
    expect(attempt.final).toMatchObject({ succeeded: true });

    const attemptId = swiped.authorizationAttemptId;
    const find = (spans: ReceivedSpan[]) => ({
      callback: spans.find(
        (s) =>
          s.service === 'psp-gateway' &&
          s.kind === SPAN_KIND.server &&
          s.name === 'POST /callbacks/mobilepay/card-data' &&
          s.attributes['psp.attempt.id'] === attemptId,
      ),
      patch: spans.find(
        (s) => s.name === 'mobilepay.patch-attempt' && s.attributes['psp.attempt.id'] === attemptId,
      ),
      // The job span ends last (the PATCH is sent inside it), so it may come in a later export.
      authorize: spans.find(
        (s) => s.name === 'authorize' && s.attributes['psp.attempt.id'] === attemptId,
      ),
    });
    await eventually(
      () => Promise.resolve(find(receiver.spans)),
      (found) => Boolean(found.callback && found.patch && found.authorize),
      15_000,
    );
    const { callback, patch } = find(receiver.spans);
    expect(callback).toBeDefined();
    expect(patch).toBeDefined();
    const traceId = callback!.traceId;
    const inTrace = receiver.spans.filter((s) => s.traceId === traceId);
    const one = (predicate: (s: ReceivedSpan) => boolean, what: string) => {
      const span = inTrace.find(predicate);
      if (!span) {
        throw new Error(
          `${what} is not in trace ${traceId}: ${inTrace.map((s) => `${s.service}/${s.name}`).join(', ')}`,
        );
      }
      return span;
    };

    const authorize = one(
      (s) => s.service === 'psp-worker' && s.name === 'authorize' && s.kind === SPAN_KIND.consumer,
      'the worker authorize span',
    );
    expect(authorize.attributes).toMatchObject({
      'psp.attempt.id': attemptId,
      'messaging.destination.name': 'authorization',
    });
    const acquirer = one((s) => s.name === 'acquirer.authorize', 'the acquirer span');
    expect(acquirer.attributes).toMatchObject({
      'psp.acquirer': expect.any(String),
      'psp.acquirer.outcome': 'approved',
    });
    expect(acquirer.parentSpanId).toBe(authorize.spanId);
    one(
      (s) =>
        s.kind === SPAN_KIND.client &&
        s.parentSpanId === acquirer.spanId &&
        String(s.attributes['url.full'] ?? s.attributes['http.url']).includes('/acquirer/v1/'),
      'the acquirer HTTP call',
    );
    // The PATCH runs inline after the acquirer's answer, or in a deliver-report job when that fails:
    // either way it belongs to the callback's trace.
    expect(patch!.traceId).toBe(traceId);
    expect(patch!.attributes).toMatchObject({
      'psp.mobilepay.payment_id': payment.mobilePayPaymentId,
      'psp.patch.succeeded': true,
    });
    one(
      (s) =>
        s.kind === SPAN_KIND.client &&
        s.parentSpanId === patch!.spanId &&
        String(s.attributes['http.request.method'] ?? s.attributes['http.method']) === 'PATCH',
      'the MobilePay PATCH call',
    );
    // Prisma/pg and ioredis spans of the same trace.
    one(
      (s) =>
        s.attributes['db.system'] === 'postgresql' ||
        s.attributes['db.system.name'] === 'postgresql',
      'a pg span',
    );
    one(
      (s) => s.attributes['db.system'] === 'redis' || s.attributes['db.system.name'] === 'redis',
      'a redis span',
    );
  });

  it('exports no card number, cryptogram, token or encrypted card data in any span', async () => {
    const payment = await createPayment(stack, merchant);
    const token = visaTokenCallback(payment.mobilePayPaymentId);
    const response = await http(
      'POST',
      `${stack.urls.gateway}/callbacks/mobilepay/token?signature=query-secret`,
      token,
    );
    expect([200, 501]).toContain(response.status);
    const cryptogram = token.tokenData.cryptogramInfo.cryptogram;
    await eventually(
      () =>
        Promise.resolve(receiver.spans.some((s) => s.name === 'POST /callbacks/mobilepay/token')),
      Boolean,
      10_000,
    );

    const exported = receiver.rawBodies.join('\n');
    expect(receiver.spans.length).toBeGreaterThan(10);
    for (const secret of [
      PAN,
      cryptogram,
      token.tokenData.tokenInfo.token,
      'query-secret',
      stack.adminKey,
      readFileSync(stack.publicKeyPath, 'utf8').split('\n')[1],
    ]) {
      expect(exported).not.toContain(secret);
    }
    // Whole-body check for a base64 blob of the card-data callback (EncryptedCardData).
    expect(exported).not.toMatch(/[A-Za-z0-9+/]{300,}={0,2}/);
  });

  it('serves Prometheus metrics on the gateway port and the worker health port', async () => {
    const gateway = await http<string>('GET', `${stack.urls.gateway}/metrics`);
    expect(gateway.status).toBe(200);
    expect(gateway.body).toMatch(/^psp_callbacks_received_total\{type="card-data"\} [1-9]/m);
    expect(gateway.body).toMatch(
      /^psp_callbacks_answered_total\{type="card-data",outcome="accepted"\} [1-9]/m,
    );
    expect(gateway.body).toMatch(
      /^psp_callback_ack_duration_seconds_bucket\{.*le="\+Inf"\} [1-9]/m,
    );

    const worker = await eventually(
      () => http<string>('GET', `${stack.urls.workerHealth}/metrics`),
      (r) => /^psp_queue_jobs\{/m.test(r.body),
      5_000,
    );
    expect(worker.status).toBe(200);
    expect(worker.body).toMatch(
      /^psp_callback_to_patch_duration_seconds_count\{outcome="succeeded"\} [1-9]/m,
    );
    expect(worker.body).toMatch(
      /^psp_acquirer_request_duration_seconds_count\{acquirer="[\w-]+",operation="authorize",outcome="approved"\} [1-9]/m,
    );
    expect(worker.body).toMatch(/^psp_queue_jobs\{queue="authorization",state="waiting"\} \d+/m);
    expect(worker.body).toMatch(
      /^psp_queue_oldest_waiting_age_seconds\{queue="mobilepay-reports"\} /m,
    );
    // Backlogs of the reports owed to MobilePay and of reversals, from the worker's poll.
    expect(worker.body).toMatch(/^psp_outbox_messages\{status="pending"\} \d+/m);
    expect(worker.body).toMatch(/^psp_outbox_oldest_pending_age_seconds [0-9.e+-]+$/m);
    expect(worker.body).toMatch(/^psp_reversals_pending \d+$/m);
    // Counters exist before their first event; the runtime and HTTP metrics are there. (No PATCH
    // of this suite is late; the token callback above names an attempt MobilePay never made, so
    // its PATCH may be refused.)
    expect(worker.body).toMatch(/^psp_deadline_misses_total\{kind="late_patch"\} 0$/m);
    expect(worker.body).toMatch(/^nodejs_eventloop_lag_p99_seconds [0-9.e+-]+$/m);
    expect(gateway.body).toMatch(
      /^psp_callbacks_answered_total\{type="failed",outcome="error"\} 0$/m,
    );
    expect(gateway.body).toMatch(
      /^http_server_request_duration_seconds_count\{method="POST",route="\/callbacks\/mobilepay\/card-data",status="200"\} [1-9]/m,
    );
    expect(gateway.body).toMatch(/^process_resident_memory_bytes [1-9]/m);
    // No id ever becomes a label.
    expect(`${gateway.body}\n${worker.body}`).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/);
  });

  it('names merchant-API spans by route, and sends merchants no traceparent', async () => {
    const payment = await createPayment(stack, merchant);
    await api(stack, merchant.apiKey, 'GET', `/v1/payments/${payment.id}`);
    const named = (name: string) =>
      receiver.spans.some(
        (s) => s.service === 'psp-gateway' && s.kind === SPAN_KIND.server && s.name === name,
      );
    await eventually(
      () => Promise.resolve(named('POST /v1/payments') && named('GET /v1/payments/:id')),
      Boolean,
      10_000,
    );
    const server = receiver.spans.filter(
      (s) => s.service === 'psp-gateway' && s.kind === SPAN_KIND.server,
    );
    // Every server span names its route (unknown paths keep the method alone).
    expect(server.filter((s) => !s.name.includes(' ')).map((s) => s.name)).toEqual([]);
    expect(server.find((s) => s.name === 'GET /v1/payments/:id')!.attributes).toMatchObject({
      'http.route': '/v1/payments/:id',
    });

    // The payment's events reach the merchant's endpoint without our trace context.
    await eventually(
      () => Promise.resolve(webhooks.headers.length),
      (n) => n > 0,
      15_000,
    );
    for (const headers of webhooks.headers) {
      expect(headers['mobilepay-psp-event-id']).toBeDefined();
      expect(headers.traceparent).toBeUndefined();
      expect(headers.tracestate).toBeUndefined();
    }
  });

  it('believes no traceparent a caller sends', async () => {
    const foreign = '0af7651916cd43dd8448eb211c80319c';
    const seen = () => receiver.spans.filter((s) => s.name === 'GET /v1/payments/:id').length;
    const before = seen();
    const response = await fetch(`${stack.urls.gateway}/v1/payments/not-a-payment`, {
      headers: {
        authorization: `Bearer ${merchant.apiKey}`,
        traceparent: `00-${foreign}-b7ad6b7169203331-01`,
      },
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    await eventually(
      () => Promise.resolve(seen()),
      (n) => n > before,
      10_000,
    );
    expect(receiver.spans.filter((s) => s.traceId === foreign)).toEqual([]);
  });

  it('starts no root traces while idle (queue polling, janitor, gauges)', async () => {
    // Whatever the earlier tests left running settles first.
    await sleep(3_000);
    const before = receiver.spans.length;
    await sleep(5_000);
    // A job the janitor re-drives (work an earlier suite's stack left in this shared database) is
    // work, and rightly a trace of its own; polling, sweeps and gauges must start none.
    const idleRoots = receiver.spans
      .slice(before)
      .filter((s) => s.parentSpanId === '' && s.attributes['messaging.system'] !== 'bullmq')
      .map((s) => `${s.service}/${s.name}`);
    expect(idleRoots).toEqual([]);
  });

  it('logs the status code of each request, and the trace id in lines written inside a trace', () => {
    const lines = readFileSync(join(stack.logDir, 'gateway.log'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const completed = lines.filter((l) => l.msg === 'request completed');
    expect(completed.length).toBeGreaterThan(5);
    for (const line of completed) {
      expect(line.res).toEqual({ statusCode: expect.any(Number) });
      // Scrapes are not traced; every other request is.
      if ((line.req as { url: string }).url !== '/metrics')
        expect(line.trace_id).toMatch(/^[0-9a-f]{32}$/);
    }
    const created = completed.find(
      (l) => (l.req as { method: string; url: string }).url === '/v1/payments',
    );
    expect(created?.res).toEqual({ statusCode: 201 });
  });
});
