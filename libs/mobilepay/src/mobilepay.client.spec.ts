import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { Secret } from '@app/config';
import { MobilePayClient, type MobilePayClientOptions } from './mobilepay.client';
import { MobilePayError } from './mobilepay-error';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

type Responder = (res: ServerResponse, index: number) => void;

/** A real HTTP server on an ephemeral port that records every request it receives. */
class FakeMobilePay {
  readonly received: Received[] = [];
  private responder: Responder = (res) => res.writeHead(204).end();
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const index = this.received.length;
      this.received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      });
      this.responder(res, index);
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  respond(responder: Responder): void {
    this.responder = responder;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function rejectionOf(promise: Promise<unknown>): Promise<MobilePayError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MobilePayError);
  return error as MobilePayError;
}

const PAYMENT_ID = '7d3c2f6e-3b1a-4c5d-9e8f-0a1b2c3d4e5f';
const ATTEMPT_ID = 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b';
const PATCH_BODY = {
  succeeded: false,
  reasonCode: 1001,
  reasonMessage: 'insufficient funds',
  acquirerVatNumber: 'DK12345678',
  acquirerMerchantId: 'acq-merchant-1',
  acquirerPaymentReference: 'acq-ref-1',
};

describe('MobilePayClient (real HTTP server)', () => {
  const server = new FakeMobilePay();
  let apiUrl: string;

  function client(overrides: Partial<MobilePayClientOptions> = {}): MobilePayClient {
    return new MobilePayClient({
      apiUrl,
      clientId: 'psp-client-id',
      clientSecret: new Secret('psp-client-secret'),
      timeoutMs: 2_000,
      retryDelayMs: 100,
      retries: 2,
      ...overrides,
    });
  }

  beforeAll(async () => {
    apiUrl = await server.start();
  });

  afterEach(() => {
    server.received.length = 0;
    server.respond((res) => res.writeHead(204).end());
  });

  afterAll(async () => {
    await server.stop();
  });

  it('retries 500 twice after the delay, then succeeds on the third try', async () => {
    server.respond((res, index) => (index < 2 ? json(res, 500, {}) : res.writeHead(204).end()));
    const sut = client({ retryDelayMs: 100 });

    const started = performance.now();
    await expect(
      sut.patchAuthorizationAttempt(PAYMENT_ID, ATTEMPT_ID, PATCH_BODY),
    ).resolves.toBeUndefined();
    const elapsed = performance.now() - started;

    expect(server.received).toHaveLength(3);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(server.received[1].at - server.received[0].at).toBeGreaterThanOrEqual(95);
    expect(server.received[2].at - server.received[1].at).toBeGreaterThanOrEqual(95);
  });

  it('repeats the identical request, with one CorrelationId, on every retry', async () => {
    server.respond((res, index) => (index < 2 ? json(res, 503, {}) : res.writeHead(204).end()));

    await client().patchAuthorizationAttempt(PAYMENT_ID, ATTEMPT_ID, PATCH_BODY);

    expect(server.received).toHaveLength(3);
    const [first, ...rest] = server.received;
    expect(first.method).toBe('PATCH');
    expect(first.url).toBe(`/api/v1/payments/${PAYMENT_ID}/authorizationattempts/${ATTEMPT_ID}`);
    expect(JSON.parse(first.body)).toEqual(PATCH_BODY);
    expect(first.headers.correlationid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    for (const retry of rest) {
      expect(retry.method).toBe(first.method);
      expect(retry.url).toBe(first.url);
      expect(retry.body).toBe(first.body);
      expect(retry.headers.correlationid).toBe(first.headers.correlationid);
    }
  });

  it('uses the CorrelationId it is given', async () => {
    await client().patchAuthorizationAttempt(PAYMENT_ID, ATTEMPT_ID, PATCH_BODY, {
      correlationId: 'corr-123',
    });
    expect(server.received[0].headers.correlationid).toBe('corr-123');
  });

  it('sends the client id and secret headers and JSON content type', async () => {
    await client().patchAuthorizationAttempt(PAYMENT_ID, ATTEMPT_ID, PATCH_BODY);
    expect(server.received[0].headers).toMatchObject({
      'x-ibm-client-id': 'psp-client-id',
      'x-ibm-client-secret': 'psp-client-secret',
      'content-type': 'application/json',
    });
  });

  it('does not retry a 409 domain error and exposes its code', async () => {
    server.respond((res) => json(res, 409, { code: '2050', message: 'already final' }));

    const error = await rejectionOf(
      client().patchAuthorizationAttempt(PAYMENT_ID, ATTEMPT_ID, PATCH_BODY),
    );

    expect(server.received).toHaveLength(1);
    expect(error.code).toBe('2050');
    expect(error.status).toBe(409);
    expect(error.transient).toBe(false);
  });

  it('retries a code the caller names within the same budget, pausing the retry delay', async () => {
    server.respond((res) => json(res, 409, { code: '2101' }));
    const sut = client({ retryDelayMs: 100, retries: 2 });

    const error = await rejectionOf(sut.invalidatePayment(PAYMENT_ID, { retryOnCodes: ['2101'] }));

    expect(error.code).toBe('2101');
    expect(server.received).toHaveLength(3);
    expect(server.received[1].at - server.received[0].at).toBeGreaterThanOrEqual(95);
    expect(server.received[2].at - server.received[1].at).toBeGreaterThanOrEqual(95);
  });

  it('never tries a named code more than 7 times, whatever is configured', async () => {
    server.respond((res) => json(res, 409, { code: '2101' }));
    const sut = client({ retryDelayMs: 1, retries: 50 });
    await rejectionOf(sut.invalidatePayment(PAYMENT_ID, { retryOnCodes: ['2101'] }));
    expect(server.received).toHaveLength(7);
  });

  it('reads a numeric domain error code as a string', async () => {
    server.respond((res) => json(res, 409, { code: 2000 }));
    const error = await rejectionOf(client().invalidatePayment(PAYMENT_ID));
    expect(error.code).toBe('2000');
  });

  it.each([400, 401, 404])('does not retry a %i', async (status) => {
    server.respond((res) => json(res, status, {}));
    const error = await rejectionOf(client().invalidatePayment(PAYMENT_ID));
    expect(server.received).toHaveLength(1);
    expect(error.transient).toBe(false);
    expect(error.status).toBe(status);
  });

  it('retries a 429 like a server error', async () => {
    server.respond((res, index) => (index === 0 ? json(res, 429, {}) : res.writeHead(204).end()));
    await client({ retryDelayMs: 10 }).invalidatePayment(PAYMENT_ID);
    expect(server.received).toHaveLength(2);
  });

  it('gives up after retries + 1 tries with a transient error when the server never answers', async () => {
    server.respond(() => undefined);
    const sut = client({ timeoutMs: 100, retries: 2 });

    const started = performance.now();
    const error = await rejectionOf(
      sut.patchAuthorizationAttempt(PAYMENT_ID, ATTEMPT_ID, PATCH_BODY),
    );

    expect(server.received).toHaveLength(3);
    expect(error.transient).toBe(true);
    expect(error.status).toBeUndefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(3 * 95);
  });

  it('caps retries at 6 (7 tries) whatever is configured', async () => {
    server.respond((res) => json(res, 500, {}));

    const error = await rejectionOf(
      client({ retries: 10, retryDelayMs: 5 }).patchAuthorizationAttempt(
        PAYMENT_ID,
        ATTEMPT_ID,
        PATCH_BODY,
      ),
    );

    expect(server.received).toHaveLength(7);
    expect(error.status).toBe(500);
    expect(error.transient).toBe(true);
  });

  it('makes exactly one try when retries is 0', async () => {
    server.respond((res) => json(res, 500, {}));
    await rejectionOf(client({ retries: 0 }).invalidatePayment(PAYMENT_ID));
    expect(server.received).toHaveLength(1);
  });

  it('parses a JSON answer', async () => {
    server.respond((res) => json(res, 200, { merchantId: 'm-1' }));
    const answer = await client().createMerchant({} as never);
    expect(answer).toEqual({ merchantId: 'm-1' });
    expect(server.received[0]).toMatchObject({ method: 'POST', url: '/api/v1/merchants' });
  });

  it('never puts the client secret into an error message', async () => {
    server.respond((res) => json(res, 409, { code: '1000' }));
    const error = await rejectionOf(client().invalidatePayment(PAYMENT_ID));
    expect(error.message).not.toContain('psp-client-secret');
  });
});
