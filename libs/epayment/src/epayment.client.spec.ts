import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { Secret } from '@app/config';
import { EpaymentClient, type EpaymentClientOptions } from './epayment.client';
import { EpaymentError } from './epayment-error';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A real HTTP server that records requests and answers as told, path by path. */
class FakeVipps {
  readonly received: Received[] = [];
  tokenLifetimeS = 3600;
  tokensIssued = 0;
  api: (res: ServerResponse, req: Received) => void = (res) => json(res, 200, {});
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      this.received.push(r);
      if (r.url === '/accesstoken/get') {
        this.tokensIssued++;
        return json(res, 200, {
          token_type: 'Bearer',
          expires_in: String(this.tokenLifetimeS),
          ext_expires_in: String(this.tokenLifetimeS),
          access_token: `tok-${this.tokensIssued}`,
        });
      }
      this.api(res, r);
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  apiCalls(): Received[] {
    return this.received.filter((r) => r.url !== '/accesstoken/get');
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res
    .writeHead(status, { 'content-type': 'application/json', ...headers })
    .end(JSON.stringify(body));
}

describe('EpaymentClient', () => {
  let vipps: FakeVipps;
  let options: EpaymentClientOptions;

  beforeEach(async () => {
    vipps = new FakeVipps();
    options = {
      apiUrl: await vipps.start(),
      clientId: 'psp-client',
      clientSecret: new Secret('client-secret'),
      subscriptionKey: new Secret('sub-key'),
      pspId: 'psp-42',
      system: { name: 'psp-gateway', version: '1.0.0', pluginName: 'epayment', pluginVersion: '1' },
      timeoutMs: 1000,
      retries: 2,
      retryDelayMs: 10,
      tokenRefreshMarginMs: 60_000,
      writeLimit: { max: 5, windowMs: 60_000 },
      maxRetryAfterMs: 2000,
    };
  });
  afterEach(() => vipps.stop());

  const createBody = {
    amount: { currency: 'DKK', value: 49900 },
    paymentMethod: { type: 'CARD_PASSTHROUGH' as const },
    cardPassthrough: {
      pspReference: 'psp-ref-1',
      cardCallbackUrl: 'https://psp.example/callbacks/epayment/card',
      allowedCardTypes: ['VISA_DEBIT' as const, 'DANKORT' as const],
      publicEncryptionKeyId: '3f1c2e90-7a4b-4c9d-8f21-6b3e2d7a91c4',
    },
    reference: 'acme-order-00001',
    userFlow: 'WEB_REDIRECT' as const,
    returnUrl: 'https://shop.example/done',
  };

  it('gets a token with the credentials in headers, then sends the PSP headers', async () => {
    vipps.api = (res) =>
      json(res, 201, { reference: 'acme-order-00001', redirectUrl: 'https://x' });
    const client = new EpaymentClient(options);
    await expect(client.createPayment('123456', createBody, 'idem-1')).resolves.toEqual({
      reference: 'acme-order-00001',
      redirectUrl: 'https://x',
    });
    const [tokenCall, create] = vipps.received;
    expect(tokenCall.method).toBe('POST');
    expect(tokenCall.body).toBe('');
    expect(tokenCall.headers).toMatchObject({
      client_id: 'psp-client',
      client_secret: 'client-secret',
      'ocp-apim-subscription-key': 'sub-key',
      'merchant-serial-number': '123456',
    });
    expect(tokenCall.headers['psp-id']).toBeUndefined();
    expect(create.headers).toMatchObject({
      authorization: 'Bearer tok-1',
      'ocp-apim-subscription-key': 'sub-key',
      'merchant-serial-number': '123456',
      'psp-id': 'psp-42',
      'idempotency-key': 'idem-1',
      'vipps-system-name': 'psp-gateway',
      'vipps-system-plugin-name': 'epayment',
    });
    expect(JSON.parse(create.body)).toEqual(createBody);
  });

  it('caches the token until shortly before it expires, then renews it', async () => {
    vipps.api = (res) => json(res, 200, { state: 'CREATED' });
    const client = new EpaymentClient(options);
    await Promise.all([client.getPayment('123456', 'r1'), client.getPayment('123456', 'r2')]);
    await client.getPayment('123456', 'r3');
    expect(vipps.tokensIssued).toBe(1);
    // A token that lives less than the refresh margin is renewed on every use.
    vipps.tokenLifetimeS = 30;
    const shortLived = new EpaymentClient(options);
    await shortLived.getPayment('123456', 'r1');
    await shortLived.getPayment('123456', 'r2');
    expect(vipps.tokensIssued).toBe(3);
    expect(vipps.apiCalls().map((r) => r.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-1',
      'Bearer tok-1',
      'Bearer tok-2',
      'Bearer tok-3',
    ]);
  });

  it('fetches one fresh token on a 401 and repeats the request', async () => {
    vipps.api = (res, req) =>
      req.headers.authorization === 'Bearer tok-1'
        ? json(res, 401, { title: 'Unauthorized' })
        : json(res, 200, { state: 'AUTHORIZED' });
    const client = new EpaymentClient(options);
    await expect(client.getPayment('123456', 'r1')).resolves.toEqual({ state: 'AUTHORIZED' });
    expect(vipps.tokensIssued).toBe(2);
  });

  it('maps a problem answer to its numeric code and does not retry a 4xx', async () => {
    vipps.api = (res) =>
      res.writeHead(400, { 'content-type': 'application/problem+json' }).end(
        JSON.stringify({
          type: 'https://developer.vippsmobilepay.com/docs/APIs/epayment-api/errors',
          title: 'Bad Request',
          status: 400,
          detail: 'Full capture is required',
          extraDetails: [{ name: 'errorCode', reason: '6140' }],
        }),
      );
    const client = new EpaymentClient(options);
    const error = await client
      .capture('123456', 'r1', { currency: 'DKK', value: 100 }, 'cap-1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EpaymentError);
    expect(error).toMatchObject({ status: 400, code: 6140, transient: false });
    expect(vipps.apiCalls()).toHaveLength(1);
  });

  it('waits out a 429 Retry-After and repeats with the same Idempotency-Key', async () => {
    let calls = 0;
    vipps.api = (res) =>
      ++calls === 1
        ? json(res, 429, { title: 'Too many requests' }, { 'retry-after': '1' })
        : json(res, 200, { state: 'AUTHORIZED' });
    const client = new EpaymentClient(options);
    await client.refund('123456', 'r1', { currency: 'DKK', value: 100 }, 'ref-1');
    const [first, second] = vipps.apiCalls();
    expect(second.at - first.at).toBeGreaterThanOrEqual(950);
    expect(second.headers['idempotency-key']).toBe('ref-1');
    expect(first.headers['idempotency-key']).toBe('ref-1');
  });

  it('queues writes over the per-reference limit instead of failing them', async () => {
    vipps.api = (res) => json(res, 200, { state: 'AUTHORIZED' });
    const client = new EpaymentClient({ ...options, writeLimit: { max: 2, windowMs: 600 } });
    const started = Date.now();
    await Promise.all(
      [1, 2, 3].map((n) =>
        client.capture('123456', 'r1', { currency: 'DKK', value: n }, `cap-${n}`),
      ),
    );
    await client.capture('123456', 'other', { currency: 'DKK', value: 1 }, 'cap-o');
    const calls = vipps.apiCalls();
    expect(calls).toHaveLength(4);
    const third = calls.filter((c) => c.url.includes('/r1/'))[2];
    expect(third.at - started).toBeGreaterThanOrEqual(550);
  });
});
