import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthorizationRequest } from '../acquirer-adapter';
import { RestAcquirerAdapter } from './rest-acquirer.adapter';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Responder = (res: ServerResponse, req: Received) => void;

/** A real HTTP acquirer on an ephemeral port that records what it was sent. */
class FakeAcquirer {
  readonly received: Received[] = [];
  responder: Responder = (res) => res.writeHead(500).end();
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      this.received.push(received);
      this.responder(res, received);
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** A port nothing listens on: opened, then closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const REFERENCE = '0b7c9a52-2f3e-4d1a-8b6c-5e4f3a2b1c0d';

function request(overrides: Partial<AuthorizationRequest> = {}): AuthorizationRequest {
  return {
    reference: REFERENCE,
    acquirerMerchantId: 'acq-merchant-1',
    amount: 12_345n,
    currency: 'DKK',
    cardType: 'VISA-CREDIT',
    card: { kind: 'pan', number: '4111111111111111', expiryMonth: 12, expiryYear: 2030 },
    ...overrides,
  };
}

function approved(amount: number, currency = 'DKK') {
  return {
    reference: REFERENCE,
    acquirerReference: 'acq-ref-77',
    status: 'APPROVED',
    amount,
    currency,
  };
}

describe('RestAcquirerAdapter (real HTTP server)', () => {
  const acquirer = new FakeAcquirer();
  let sut: RestAcquirerAdapter;
  let baseUrl: string;

  beforeAll(async () => {
    baseUrl = await acquirer.start();
    sut = new RestAcquirerAdapter({ baseUrl, timeoutMs: 1_000, vatNumber: 'DK12345678' });
  });

  afterEach(() => {
    acquirer.received.length = 0;
  });

  afterAll(async () => {
    await acquirer.stop();
  });

  describe('authorize', () => {
    it('returns approved when the acquirer approved the amount asked for', async () => {
      acquirer.responder = (res) => json(res, 200, approved(12_345));

      expect(await sut.authorize(request())).toEqual({
        kind: 'approved',
        acquirerReference: 'acq-ref-77',
        amount: 12_345n,
        currency: 'DKK',
      });
      expect(acquirer.received).toHaveLength(1);
      expect(acquirer.received[0]).toMatchObject({
        method: 'POST',
        url: '/acquirer/v1/authorizations',
      });
    });

    it('sends the amount in integer minor units and our reference as Idempotency-Key', async () => {
      acquirer.responder = (res) => json(res, 200, approved(12_345));
      await sut.authorize(request());

      const [sent] = acquirer.received;
      expect(sent.headers['idempotency-key']).toBe(REFERENCE);
      const body = JSON.parse(sent.body) as Record<string, unknown>;
      expect(body).toMatchObject({
        reference: REFERENCE,
        merchantId: 'acq-merchant-1',
        amount: 12_345,
        currency: 'DKK',
        cardType: 'VISA-CREDIT',
      });
      expect(sent.body).toContain('"amount":12345,');
    });

    it.each([
      ['a smaller amount', approved(12_344)],
      ['a larger amount', approved(12_346)],
      ['another currency', approved(12_345, 'EUR')],
    ])('returns unknown when the acquirer approved %s', async (_case, answer) => {
      acquirer.responder = (res) => json(res, 200, answer);
      const result = await sut.authorize(request());
      expect(result.kind).toBe('unknown');
    });

    it.each([
      ['INSUFFICIENT_FUNDS', 'INSUFFICIENT_FUNDS'],
      ['EXPIRED_CARD', 'EXPIRED_CARD'],
      ['FRAUD_SUSPECTED', 'FRAUD_SUSPECTED'],
      [undefined, 'DO_NOT_HONOR'],
    ])('maps decline code %p to reason %s', async (declineCode, reason) => {
      acquirer.responder = (res) =>
        json(res, 200, {
          reference: REFERENCE,
          acquirerReference: 'acq-ref-78',
          status: 'DECLINED',
          declineCode,
          amount: 12_345,
          currency: 'DKK',
        });
      expect(await sut.authorize(request())).toEqual({
        kind: 'declined',
        reason,
        acquirerReference: 'acq-ref-78',
      });
    });

    it('maps a soft decline', async () => {
      acquirer.responder = (res) =>
        json(res, 200, {
          reference: REFERENCE,
          acquirerReference: 'acq-ref-79',
          status: 'SOFT_DECLINED',
          amount: 12_345,
          currency: 'DKK',
        });
      expect(await sut.authorize(request())).toEqual({
        kind: 'soft-declined',
        acquirerReference: 'acq-ref-79',
      });
    });

    it.each([500, 502, 503, 504])(
      'returns unknown for %i (money may have moved)',
      async (status) => {
        acquirer.responder = (res) => json(res, status, {});
        expect((await sut.authorize(request())).kind).toBe('unknown');
      },
    );

    it('returns not-sent when the connection is refused', async () => {
      const refused = new RestAcquirerAdapter({
        baseUrl: `http://127.0.0.1:${await closedPort()}`,
        timeoutMs: 1_000,
        vatNumber: 'DK12345678',
      });
      const result = await refused.authorize(request());
      expect(result).toEqual({ kind: 'not-sent', error: expect.stringContaining('ECONNREFUSED') });
    });

    it('returns unknown when the acquirer does not answer in time', async () => {
      acquirer.responder = () => undefined;
      const impatient = new RestAcquirerAdapter({ baseUrl, timeoutMs: 100, vatNumber: 'DK1' });
      const result = await impatient.authorize(request());
      expect(result.kind).toBe('unknown');
      expect(acquirer.received).toHaveLength(1);
    });

    it('returns unknown, not an exception, when the inquiry times out', async () => {
      acquirer.responder = () => undefined;
      const impatient = new RestAcquirerAdapter({ baseUrl, timeoutMs: 100, vatNumber: 'DK1' });
      const result = await impatient.inquire(REFERENCE, { amount: 12_345n, currency: 'DKK' });
      expect(result.kind).toBe('unknown');
    });

    it('gives up an inquiry at the budget the caller gives when it is shorter than its own timeout', async () => {
      acquirer.responder = () => undefined;
      const patient = new RestAcquirerAdapter({ baseUrl, timeoutMs: 30_000, vatNumber: 'DK1' });
      const started = performance.now();
      const result = await patient.inquire(
        REFERENCE,
        { amount: 12_345n, currency: 'DKK' },
        { timeoutMs: 150 },
      );
      expect(result.kind).toBe('unknown');
      expect(performance.now() - started).toBeLessThan(10_000);
    });

    it('sends Dankort with posCode K005K0K00130 and delegated authentication', async () => {
      acquirer.responder = (res) => json(res, 200, approved(12_345));
      await sut.authorize(request({ cardType: 'DANKORT' }));
      const body = JSON.parse(acquirer.received[0].body) as Record<string, unknown>;
      expect(body.posCode).toBe('K005K0K00130');
      expect(body.delegatedAuthentication).toBe(true);
      expect(body.cardType).toBe('DANKORT');
    });

    it.each(['VISA-CREDIT', 'VISA-DEBIT', 'MC-CREDIT'] as const)(
      'sends %s without Dankort fields',
      async (cardType) => {
        acquirer.responder = (res) => json(res, 200, approved(12_345));
        await sut.authorize(request({ cardType }));
        const body = JSON.parse(acquirer.received[0].body) as Record<string, unknown>;
        expect(body).not.toHaveProperty('posCode');
        expect(body).not.toHaveProperty('delegatedAuthentication');
      },
    );

    const token = (delegatedAuthentication?: boolean) =>
      request({
        cardType: 'VISA-CREDIT',
        card: {
          kind: 'network-token',
          token: '4895370012003478',
          expiryMonth: 12,
          expiryYear: 31,
          cryptogram: 'AgAAAAAAAIR8CQrXcIhbQAAAAAA=',
          eci: '07',
          tokenMethod: 'VTS',
          ...(delegatedAuthentication === undefined ? {} : { delegatedAuthentication }),
        },
      });

    it.each([true, false])(
      "says a VTS token's delegated authentication (%s) explicitly, outside the card",
      async (delegated) => {
        acquirer.responder = (res) => json(res, 200, approved(12_345));
        await sut.authorize(token(delegated));
        const body = JSON.parse(acquirer.received[0].body) as {
          delegatedAuthentication?: boolean;
          card: Record<string, unknown>;
        };
        expect(body.delegatedAuthentication).toBe(delegated);
        expect(body.card).not.toHaveProperty('delegatedAuthentication');
        expect(body.card).toMatchObject({ kind: 'network-token', tokenMethod: 'VTS' });
        expect(body).not.toHaveProperty('posCode');
      },
    );

    it('claims nothing for a token that carries no delegated-authentication flag', async () => {
      acquirer.responder = (res) => json(res, 200, approved(12_345));
      await sut.authorize(token());
      const body = JSON.parse(acquirer.received[0].body) as Record<string, unknown>;
      expect(body).not.toHaveProperty('delegatedAuthentication');
    });

    it('reports its VAT number for the PATCH', () => {
      expect(sut.vatNumber).toBe('DK12345678');
    });
  });

  describe('inquire', () => {
    it('returns not-found for a 404', async () => {
      acquirer.responder = (res) => json(res, 404, {});
      expect(await sut.inquire(REFERENCE, { amount: 12_345n, currency: 'DKK' })).toEqual({
        kind: 'not-found',
      });
      expect(acquirer.received[0]).toMatchObject({
        method: 'GET',
        url: `/acquirer/v1/authorizations/${REFERENCE}`,
      });
    });

    it('returns the approval found for the reference', async () => {
      acquirer.responder = (res) => json(res, 200, approved(12_345));
      expect(await sut.inquire(REFERENCE, { amount: 12_345n, currency: 'DKK' })).toEqual({
        kind: 'approved',
        acquirerReference: 'acq-ref-77',
        amount: 12_345n,
        currency: 'DKK',
      });
    });

    it('returns unknown for an approval of another amount', async () => {
      acquirer.responder = (res) => json(res, 200, approved(99));
      expect((await sut.inquire(REFERENCE, { amount: 12_345n, currency: 'DKK' })).kind).toBe(
        'unknown',
      );
    });

    it('returns unknown for a 500', async () => {
      acquirer.responder = (res) => json(res, 500, {});
      expect((await sut.inquire(REFERENCE, { amount: 12_345n, currency: 'DKK' })).kind).toBe(
        'unknown',
      );
    });

    it('escapes the reference in the path', async () => {
      acquirer.responder = (res) => json(res, 404, {});
      await sut.inquire('a/b?c', { amount: 1n, currency: 'DKK' });
      expect(acquirer.received[0].url).toBe('/acquirer/v1/authorizations/a%2Fb%3Fc');
    });
  });

  describe('known defects', () => {
    it('returns unknown for a 200 with an unexpected status', async () => {
      acquirer.responder = (res) => json(res, 200, { ...approved(12_345), status: 'PENDING' });
      const result = await sut.authorize(request());
      expect(result.kind).toBe('unknown');
    });

    it('returns unknown from an inquiry answered with a non-JSON 200', async () => {
      acquirer.responder = (res) => res.writeHead(200).end('<html>gateway</html>');
      const result = await sut.inquire(REFERENCE, { amount: 12_345n, currency: 'DKK' });
      expect(result.kind).toBe('unknown');
    });
  });
});
