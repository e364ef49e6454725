import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { Secret } from '@app/config';
import { PosClient, type PosClientOptions, retryAfterMs } from './pos.client';
import { PosApiError, PosErrorCode } from './pos-error';
import { PosTokenProvider } from './pos-token.provider';

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

type Handler = (req: Received, res: ServerResponse, index: number) => void;

/** A real HTTP server on an ephemeral port playing both the token endpoint and the PoS API. */
class FakeMobilePay {
  readonly received: Received[] = [];
  tokensIssued = 0;
  tokenLifetimeS = 3700;
  private handler: Handler = (_req, res) => json(res, 200, {});
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      };
      if (received.path === '/auth/connect/token') {
        this.tokensIssued++;
        this.tokenRequests.push(received);
        return json(res, 200, {
          access_token: `token-${this.tokensIssued}`,
          expires_in: this.tokenLifetimeS,
          token_type: 'Bearer',
          scope: 'integrator_scope',
        });
      }
      const index = this.received.length;
      this.received.push(received);
      this.handler(received, res, index);
    });
  });
  readonly tokenRequests: Received[] = [];

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  handle(handler: Handler): void {
    this.handler = handler;
  }

  reset(): void {
    this.received.length = 0;
    this.tokenRequests.length = 0;
    this.tokensIssued = 0;
    this.tokenLifetimeS = 3700;
    this.handler = (_req, res) => json(res, 200, {});
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function json(res: ServerResponse, status: number, body: unknown, raw?: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(raw ?? JSON.stringify(body));
}

async function rejectionOf(promise: Promise<unknown>): Promise<PosApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PosApiError);
  return error as PosApiError;
}

const CTX = { merchantVat: 'DK11102248' };
const POS_ID = 'c85916b1-8e17-4275-a388-551e16aa6293';
const PAYMENT_ID = '3974eae6-e36f-4148-b5ee-22689e528c75';
const PAYMENT = {
  paymentId: PAYMENT_ID,
  posId: POS_ID,
  orderId: 'ORDER-1',
  amount: 12.5,
  currencyCode: 'DKK',
  status: 'Reserved',
  partialCapturePossible: true,
  pollDelayInMs: 1000,
};

describe('PosClient (real HTTP server)', () => {
  const server = new FakeMobilePay();
  let url: string;
  let clock = 1_000_000;

  function client(overrides: Partial<PosClientOptions> = {}): PosClient {
    const tokens = new PosTokenProvider(
      {
        authUrl: `${url}/auth`,
        clientId: 'oauth-client',
        clientSecret: new Secret('oauth-secret'),
        ibmClientId: 'ibm-app-id',
        timeoutMs: 2_000,
        refreshMarginMs: 60_000,
      },
      () => clock,
    );
    return new PosClient(
      {
        apiUrl: url,
        ibmClientId: 'ibm-app-id',
        clientSystemVersion: '2.1.1',
        merchantLockedTokens: false,
        writeTimeoutMs: 2_000,
        readTimeoutMs: 500,
        retries: 2,
        retryDelayMs: 20,
        maxRetryAfterMs: 5_000,
        ...overrides,
      },
      tokens,
    );
  }

  beforeAll(async () => {
    url = await server.start();
  });

  afterEach(() => server.reset());

  afterAll(() => server.stop());

  it('gets a client-credentials token and sends the required headers on every call', async () => {
    server.handle((_req, res) => json(res, 200, { posIds: [POS_ID] }));
    const sut = client();

    await expect(sut.queryPointsOfSale(CTX, { merchantPosId: 'till-1' })).resolves.toEqual([
      POS_ID,
    ]);

    const [tokenRequest] = server.tokenRequests;
    expect(tokenRequest.method).toBe('POST');
    expect(tokenRequest.headers.authorization).toBe(
      `Basic ${Buffer.from('oauth-client:oauth-secret').toString('base64')}`,
    );
    expect(tokenRequest.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(tokenRequest.headers['x-ibm-client-id']).toBe('ibm-app-id');
    expect(Object.fromEntries(new URLSearchParams(tokenRequest.body))).toEqual({
      grant_type: 'client_credentials',
    });
    const [call] = server.received;
    expect(call.path).toBe('/pos/v10/pointofsales?merchantPosId=till-1');
    expect(call.headers).toMatchObject({
      authorization: 'Bearer token-1',
      'x-ibm-client-id': 'ibm-app-id',
      'x-mobilepay-client-system-version': '2.1.1',
      'x-mobilepay-merchant-vat-number': 'DK11102248',
    });
  });

  it('caches the token, fetches it once for concurrent callers, and refreshes it before expiry', async () => {
    server.handle((_req, res) => json(res, 200, { storeIds: [] }));
    const sut = client();

    await Promise.all([sut.queryStores(CTX), sut.queryStores(CTX), sut.queryStores(CTX)]);
    expect(server.tokensIssued).toBe(1);

    clock += 3_639_000; // 3700 s lifetime, 60 s margin: still fresh for a second
    await sut.queryStores(CTX);
    expect(server.tokensIssued).toBe(1);

    clock += 2_000; // inside the refresh margin
    await sut.queryStores(CTX);
    expect(server.tokensIssued).toBe(2);
    expect(server.received.at(-1)?.headers.authorization).toBe('Bearer token-2');
  });

  it('asks for merchant-locked tokens (merchant_vat claim) and then sends no VAT header', async () => {
    server.handle((_req, res) => json(res, 200, { storeIds: [] }));
    const sut = client({ merchantLockedTokens: true });

    await sut.queryStores(CTX);
    await sut.queryStores({ merchantVat: 'FI12345678' });
    await sut.queryStores(CTX);

    expect(
      server.tokenRequests.map((r) => new URLSearchParams(r.body).get('merchant_vat')),
    ).toEqual(['DK11102248', 'FI12345678']);
    expect(server.received.map((r) => r.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
      'Bearer token-1',
    ]);
    expect(server.received[0].headers['x-mobilepay-merchant-vat-number']).toBeUndefined();
    const error = await rejectionOf(sut.queryStores({ merchantVat: 'SE12345678' }));
    expect(error.status).toBe(400);
  });

  it('puts exact decimals on the wire and reads them back as minor units', async () => {
    server.handle((req, res) =>
      req.method === 'POST'
        ? json(res, 200, { paymentId: PAYMENT_ID })
        : json(res, 200, undefined, JSON.stringify(PAYMENT).replace('12.5', '123456789.07')),
    );
    const sut = client();

    await sut.initiatePayment(
      CTX,
      {
        posId: POS_ID,
        orderId: 'ORDER-1',
        amount: 30n,
        currencyCode: 'DKK',
        plannedCaptureDelay: 'None',
      },
      'key-1',
    );
    expect(server.received[0].body).toBe(
      '{"posId":"c85916b1-8e17-4275-a388-551e16aa6293","orderId":"ORDER-1","amount":0.30,' +
        '"currencyCode":"DKK","plannedCaptureDelay":"None"}',
    );
    expect(server.received[0].headers['x-mobilepay-idempotency-key']).toBe('key-1');

    const payment = await sut.getPayment(CTX, PAYMENT_ID);
    expect(payment).toMatchObject({ amount: 12345678907n, partialCapturePossible: true });
    expect(payment.pollDelayInMs).toBe(1000);

    await sut.capturePayment(CTX, PAYMENT_ID, 1n, 'EUR');
    expect(server.received[2].body).toBe('{"amount":0.01}');
  });

  it('retries server errors and timeouts with the same idempotency key, then succeeds', async () => {
    server.handle((_req, res, index) => {
      if (index === 0) return json(res, 503, { code: '2000' });
      if (index === 1) return void setTimeout(() => json(res, 200, {}), 2_500);
      json(res, 200, { paymentId: PAYMENT_ID });
    });
    const sut = client({ writeTimeoutMs: 300 });

    await expect(
      sut.preparePayment(CTX, { posId: POS_ID, orderId: 'ORDER-2' }, 'key-2'),
    ).resolves.toBe(PAYMENT_ID);

    expect(server.received).toHaveLength(3);
    expect(server.received.map((r) => r.headers['x-mobilepay-idempotency-key'])).toEqual([
      'key-2',
      'key-2',
      'key-2',
    ]);
  });

  it('gives up after the configured retries (3 requests for 2 retries)', async () => {
    server.handle((_req, res) => json(res, 500, { code: '2001', message: 'down' }));
    const error = await rejectionOf(client().cancelPayment(CTX, PAYMENT_ID));
    expect(server.received).toHaveLength(3);
    expect(error).toMatchObject({ status: 500, code: '2001', transient: true });
  });

  it('never retries more than 5 times, whatever is configured', async () => {
    server.handle((_req, res) => json(res, 500, {}));
    await rejectionOf(client({ retries: 9, retryDelayMs: 1 }).cancelPayment(CTX, PAYMENT_ID));
    expect(server.received).toHaveLength(6);
  });

  it('does not retry client errors and exposes the documented code', async () => {
    server.handle((_req, res) =>
      json(res, 409, { code: '1301', message: 'A payment is already active' }),
    );
    const error = await rejectionOf(
      client().initiatePayment(
        CTX,
        {
          posId: POS_ID,
          orderId: 'o',
          amount: 100n,
          currencyCode: 'DKK',
          plannedCaptureDelay: 'None',
        },
        'key-3',
      ),
    );
    expect(server.received).toHaveLength(1);
    expect(error.is(PosErrorCode.PaymentAlreadyActive)).toBe(true);
    expect(error.transient).toBe(false);
  });

  it('waits out a short Retry-After on 429 and hands a long one to the caller', async () => {
    server.handle((_req, res, index) =>
      index === 0
        ? res.writeHead(429, { 'retry-after': '1' }).end()
        : json(res, 200, { refundIds: [] }),
    );
    const started = performance.now();
    await client().queryRefunds(CTX, PAYMENT_ID);
    expect(server.received).toHaveLength(2);
    expect(server.received[1].at - server.received[0].at).toBeGreaterThanOrEqual(990);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);

    server.reset();
    server.handle((_req, res) => res.writeHead(429, { 'retry-after': '120' }).end());
    const error = await rejectionOf(client().queryRefunds(CTX, PAYMENT_ID));
    expect(server.received).toHaveLength(1);
    expect(error).toMatchObject({ status: 429, transient: true, retryAfterMs: 120_000 });
  });

  it('asks for a fresh token once when MobilePay answers 401', async () => {
    server.handle((req, res) =>
      req.headers.authorization === 'Bearer token-1' ? json(res, 401, {}) : json(res, 200, PAYMENT),
    );
    const payment = await client().getPayment(CTX, PAYMENT_ID);
    expect(payment.status).toBe('Reserved');
    expect(server.tokensIssued).toBe(2);

    server.reset();
    server.handle((_req, res) => json(res, 401, {}));
    const error = await rejectionOf(client().getPayment(CTX, PAYMENT_ID));
    expect(error.status).toBe(401);
    expect(server.received).toHaveLength(2);
  });

  it('tries a polling GET once, with the read timeout, leaving the next try to the poll loop', async () => {
    server.handle((_req, res) => void setTimeout(() => json(res, 200, PAYMENT), 800));
    const error = await rejectionOf(client().getPayment(CTX, PAYMENT_ID, 'poll'));
    expect(error).toMatchObject({ status: undefined, transient: true });
    expect(server.received).toHaveLength(1);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('0.5')).toBe(500);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});
