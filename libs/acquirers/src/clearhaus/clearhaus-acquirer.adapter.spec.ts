import { createPublicKey, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReasonCode, reasonCodeForDecline } from '@app/domain';
import type { AuthorizationRequest } from '../acquirer-adapter';
import { ClearhausAcquirerAdapter } from './clearhaus-acquirer.adapter';
import { clearhausReference, textOnStatement } from './clearhaus-authorization-params';
import { ClearhausSigner, encodeForm } from './clearhaus-form';
import { CLEARHAUS_STATUS_CODES, clearhausMeaning } from './clearhaus-status-codes';

// The docs' "RSA signature" example: signing API key, key pair, body and the resulting header.
const DOCS_KEY = '4390aec7-f76a-4c2f-8597-c87c2d06cb4f';
const DOCS_PRIVATE = `-----BEGIN RSA PRIVATE KEY-----
MIIBOwIBAAJBALYK0zmwuYkH3YWcFNLLddx5cwDxEY7Gi1xITuQqRrU4yD3uSw+J
WYKknb4Tbndb6iEHY+e6gIGD+49TojnNeIUCAwEAAQJARyuYRRe4kcBHdPL+mSL+
Y0IAGkAlUyKAXYXPghidKD/v/oLrFaZWALGM2clv6UoYYpPnInSgbcud4sTcfeUm
QQIhAN2JZ2qv0WGcbIopBpwpQ5jDxMGVkmkVVUEWWABGF8+pAiEA0lySxTELZm8b
Gx9UEDRghN+Qv/OuIKFldu1Ba4f8W30CIQCaQFIBtunTTVdF28r+cLzgYW9eWwbW
pEP4TdZ4WlW6AQIhAMDCTUdeUpjxlH/87BXROORozAXocBW8bvJUI486U5ctAiAd
InviQqJd1KTGRDmWIGrE5YACVmW2JSszD9t5VKxkAA==
-----END RSA PRIVATE KEY-----`;
const DOCS_BODY =
  'amount=2050&currency=EUR&ip=1.1.1.1&card[pan]=4111111111111111&card[expire_month]=06&card[expire_year]=2022&card[csc]=123';
const DOCS_SIGNATURE =
  '7ae0e14d35b2a15a7ff812a1899d7f0a5d28063f0c276081876a51fc3773f499459f944f8b57c6e0e76b47c218b20ebaad7c6250dcd1804dd19c87fb7f1216ba';

const ATTEMPT = '0f8fad5b-d9cb-469f-a165-70867728950e';
const AUTH_ID = '84412a34-fa29-4369-a098-0165a80e8fda';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
type Handler = (seen: Seen, res: ServerResponse) => void;

describe('ClearhausAcquirerAdapter', () => {
  let server: Server;
  let baseUrl: string;
  let seen: Seen[];
  let handler: Handler;
  const logger = { warn: jest.fn(), error: jest.fn() };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const entry = { method: req.method!, url: req.url!, headers: req.headers, body };
        seen.push(entry);
        handler(entry, res);
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));
  beforeEach(() => {
    seen = [];
    handler = answer(201, {
      id: AUTH_ID,
      status: { code: 20000 },
      processed_at: '2018-07-09T12:58:56+00:00',
    });
    logger.warn.mockReset();
    logger.error.mockReset();
  });

  const sut = (timeoutMs = 2_000, lateAnswerMs = 2_000) =>
    new ClearhausAcquirerAdapter({
      baseUrl,
      apiKey: 'merchant-api-key',
      signingApiKey: DOCS_KEY,
      signingKeyPem: DOCS_PRIVATE,
      timeoutMs,
      lateAnswerMs,
      logger,
    });

  const cardRequest = (overrides: Partial<AuthorizationRequest> = {}): AuthorizationRequest => ({
    reference: ATTEMPT,
    acquirerMerchantId: '000000003000001',
    amount: 12_995n,
    currency: 'DKK',
    cardType: 'VISA-CREDIT',
    card: { kind: 'pan', number: '4111111111111111', expiryMonth: 6, expiryYear: 29 },
    textOnStatement: 'Gedekid og Smoothies',
    ...overrides,
  });

  it('signs exactly as the docs example does', () => {
    expect(new ClearhausSigner(DOCS_KEY, DOCS_PRIVATE).header(DOCS_BODY)).toBe(
      `${DOCS_KEY} RS256-hex ${DOCS_SIGNATURE}`,
    );
    expect(
      encodeForm([
        ['amount', '2050'],
        ['currency', 'EUR'],
        ['ip', '1.1.1.1'],
        ['card[pan]', '4111111111111111'],
        ['card[expire_month]', '06'],
        ['card[expire_year]', '2022'],
        ['card[csc]', '123'],
      ]),
    ).toBe(DOCS_BODY);
  });

  it('authorizes card data as mobilepayonline form parameters, Basic auth and a verifiable signature', async () => {
    const result = await sut().authorize(cardRequest());
    expect(result).toEqual({
      kind: 'approved',
      acquirerReference: AUTH_ID,
      amount: 12_995n,
      currency: 'DKK',
    });
    const [request] = seen;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/authorizations');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from('merchant-api-key:').toString('base64')}`,
    );
    expect(request.body).toBe(
      'amount=12995&currency=DKK&reference=D4-tW9nLRp-hZXCGdyiVDg&text_on_statement=Gedekid%20og%20Smoothies' +
        '&mobilepayonline[pan]=4111111111111111&mobilepayonline[expire_month]=06&mobilepayonline[expire_year]=2029',
    );
    const [key, scheme, hex] = String(request.headers.signature).split(' ');
    expect([key, scheme]).toEqual([DOCS_KEY, 'RS256-hex']);
    const publicKey = createPublicKey(DOCS_PRIVATE);
    expect(verify('sha256', Buffer.from(request.body), publicKey, Buffer.from(hex, 'hex'))).toBe(
      true,
    );
  });

  it('sends a token as its token PAN with the whole token callback as payment_token', async () => {
    const callback = JSON.stringify({
      paymentId: 'p',
      tokenMethod: 'VTS',
      tokenData: { tokenInfo: { token: '4895370012345678' } },
    });
    await sut().authorize(
      cardRequest({
        card: {
          kind: 'network-token',
          token: '4895370012345678',
          expiryMonth: 12,
          expiryYear: 2030,
          cryptogram: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=',
          eci: '05',
          tokenMethod: 'VTS',
          paymentToken: callback,
        },
      }),
    );
    const params = new URLSearchParams(seen[0].body);
    expect(params.get('mobilepayonline[pan]')).toBe('4895370012345678');
    expect(params.get('mobilepayonline[expire_year]')).toBe('2030');
    expect(params.get('mobilepayonline[payment_token]')).toBe(callback);
  });

  it('refuses a token without its callback before calling Clearhaus', async () => {
    const result = await sut().authorize(
      cardRequest({
        card: {
          kind: 'network-token',
          token: '4895370012345678',
          expiryMonth: 12,
          expiryYear: 30,
          cryptogram: 'x',
          eci: '05',
          tokenMethod: 'VTS',
        },
      }),
    );
    expect(result).toMatchObject({ kind: 'declined', reason: 'INVALID_REQUEST' });
    expect(seen).toHaveLength(0);
  });

  it('passes the 3-D Secure result as [3dsecure][v2][raw], or the RReq when it is known', async () => {
    const threeDS = {
      cryptogram: 'kBMI/uGZvlKCygBkcQIlLJeBTPLG',
      eci: '05',
      version: '2.2.0',
      transactionId: 'f25084f0-5b16-4c0a-ae5d-b24808a95e4b',
    };
    await sut().authorize(cardRequest({ reference: `${ATTEMPT}.3ds`, threeDS }));
    const raw = new URLSearchParams(seen[0].body);
    expect(raw.get('reference')).toBe('D4-tW9nLRp-hZXCGdyiVDg.3ds');
    expect(Object.fromEntries([...raw].filter(([k]) => k.includes('[3dsecure]')))).toEqual({
      'mobilepayonline[3dsecure][v2][raw][trans_status]': 'Y',
      'mobilepayonline[3dsecure][v2][raw][message_version]': '2.2.0',
      'mobilepayonline[3dsecure][v2][raw][message_type]': 'RReq',
      'mobilepayonline[3dsecure][v2][raw][eci]': '05',
      'mobilepayonline[3dsecure][v2][raw][av]': 'kBMI/uGZvlKCygBkcQIlLJeBTPLG',
      'mobilepayonline[3dsecure][v2][raw][ds_trans_id]': 'f25084f0-5b16-4c0a-ae5d-b24808a95e4b',
    });
    await sut().authorize(cardRequest({ threeDS: { ...threeDS, rreq: '{"transStatus":"Y"}' } }));
    const rreq = new URLSearchParams(seen[1].body);
    expect(rreq.get('mobilepayonline[3dsecure][v2][rreq]')).toBe('{"transStatus":"Y"}');
    expect([...rreq.keys()].filter((k) => k.includes('[raw]'))).toEqual([]);
  });

  // Written from the docs' status table and the MobilePay reason codes, independently of the table.
  const expected: [number, number | 'approved' | '3ds'][] = [
    [20000, 'approved'],
    [40000, ReasonCode.PermanentError],
    [40110, ReasonCode.PermanentError],
    [40111, ReasonCode.PermanentError],
    [40120, ReasonCode.PermanentError],
    [40130, ReasonCode.PermanentError],
    [40135, ReasonCode.CardExpired],
    [40140, ReasonCode.PermanentError],
    [40150, ReasonCode.PermanentError],
    [40200, ReasonCode.Rejected],
    [40300, ReasonCode.PermanentError],
    [40310, ReasonCode.Rejected],
    [40400, ReasonCode.TemporaryError],
    [40410, ReasonCode.Rejected],
    [40411, ReasonCode.HardBlocked],
    [40412, ReasonCode.HardBlocked],
    [40413, ReasonCode.InsufficientFunds],
    [40414, ReasonCode.FraudSuspected],
    [40415, ReasonCode.Rejected],
    [40416, '3ds'],
    [40420, ReasonCode.SoftBlocked],
    [50000, ReasonCode.TemporaryError],
  ];

  it('has a row for every documented status code', () => {
    expect(Object.keys(CLEARHAUS_STATUS_CODES).map(Number).sort()).toEqual(
      expected.map(([code]) => code).sort(),
    );
    expect(clearhausMeaning(40999)).toMatchObject({ kind: 'declined', reason: 'ERROR' });
  });

  it.each(expected)('maps status %d to %s', async (code, outcome) => {
    handler = answer(code < 40200 && code !== 20000 ? 400 : 201, {
      id: code < 40200 && code !== 20000 ? undefined : AUTH_ID,
      status: { code },
    });
    const result = await sut().authorize(cardRequest());
    if (outcome === 'approved') return expect(result.kind).toBe('approved');
    if (outcome === '3ds') return expect(result.kind).toBe('soft-declined');
    expect(result.kind).toBe('declined');
    if (result.kind !== 'declined') return;
    expect(reasonCodeForDecline(result.reason)).toBe(outcome);
    expect(result.detail).toContain(String(code));
  });

  it('reports a refused signature clearly, as a permanent error, without retrying', async () => {
    handler = answer(400, { status: { code: 40000, message: 'invalid signature (invalid)' } });
    const result = await sut().authorize(cardRequest());
    expect(result).toMatchObject({ kind: 'declined', reason: 'INVALID_REQUEST' });
    expect(seen).toHaveLength(1);
    expect(logger.error).toHaveBeenCalledWith(
      expect.anything(),
      expect.stringMatching(/signature/),
    );
  });

  it('a 401 (API key refused) is a permanent error', async () => {
    handler = answer(401, {});
    expect(await sut().authorize(cardRequest())).toMatchObject({
      kind: 'declined',
      reason: 'INVALID_REQUEST',
    });
  });

  it('never resends after a lost answer: the inquiry is unresolvable and a late approval is voided', async () => {
    handler = (entry, res) => {
      if (entry.url === '/authorizations') {
        setTimeout(() => answer(201, { id: AUTH_ID, status: { code: 20000 } })(entry, res), 300);
      } else answer(201, { id: 'void-1', status: { code: 20000 } })(entry, res);
    };
    const adapter = sut(100, 2_000);
    expect((await adapter.authorize(cardRequest())).kind).toBe('unknown');
    expect(await adapter.inquire(ATTEMPT)).toMatchObject({
      kind: 'unresolvable',
    });
    await waitFor(() => seen.length === 2);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'POST /authorizations',
      `POST /authorizations/${AUTH_ID}/voids`,
    ]);
    expect(seen[1].headers.signature).toMatch(new RegExp(`^${DOCS_KEY} RS256-hex [0-9a-f]+$`));
  });

  it('uses a late answer that arrives before the inquiry', async () => {
    handler = (entry, res) =>
      setTimeout(() => answer(201, { id: AUTH_ID, status: { code: 40413 } })(entry, res), 200);
    const adapter = sut(50, 2_000);
    expect((await adapter.authorize(cardRequest())).kind).toBe('unknown');
    await waitFor(() => seen.length === 1);
    await new Promise((done) => setTimeout(done, 300));
    expect(await adapter.inquire(ATTEMPT)).toMatchObject({
      kind: 'declined',
      reason: 'INSUFFICIENT_FUNDS',
    });
  });

  it('a dropped connection after sending is unknown, then unresolvable; another process knows nothing', async () => {
    handler = (_entry, res) => res.socket?.destroy();
    const adapter = sut();
    expect((await adapter.authorize(cardRequest())).kind).toBe('unknown');
    expect((await adapter.inquire(ATTEMPT)).kind).toBe('unresolvable');
    expect((await sut().inquire(ATTEMPT)).kind).toBe('unresolvable');
  });

  it('a request that never left may be sent again: its inquiry is not-found', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((done) => closed.close(() => done()));
    const adapter = new ClearhausAcquirerAdapter({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: 'k',
      signingApiKey: DOCS_KEY,
      signingKeyPem: DOCS_PRIVATE,
      timeoutMs: 1_000,
      lateAnswerMs: 0,
      logger,
    });
    expect((await adapter.authorize(cardRequest())).kind).toBe('not-sent');
    expect(await adapter.inquire(ATTEMPT)).toEqual({
      kind: 'not-found',
    });
  });

  it('captures, refunds and voids by the Clearhaus authorization id', async () => {
    handler = answer(201, {
      id: 'd8e92a70-3030-4d4d-8ad2-684b230c1bed',
      status: { code: 20000 },
      amount: 1000,
    });
    const op = {
      authorizationReference: AUTH_ID,
      reference: 'op-1',
      amount: 1_000n,
      currency: 'DKK',
    };
    const adapter = sut();
    expect(await adapter.captureAuthorization(op)).toEqual({
      kind: 'approved',
      acquirerReference: 'd8e92a70-3030-4d4d-8ad2-684b230c1bed',
    });
    await adapter.refundAuthorization({ ...op, amount: 500n });
    await adapter.cancelAuthorization(op);
    expect(await adapter.reverse(AUTH_ID)).toEqual({ kind: 'reversed' });
    expect(seen.map((s) => `${s.url} ${s.body}`)).toEqual([
      `/authorizations/${AUTH_ID}/captures amount=1000`,
      `/authorizations/${AUTH_ID}/refunds amount=500`,
      `/authorizations/${AUTH_ID}/voids `,
      `/authorizations/${AUTH_ID}/voids `,
    ]);
    handler = answer(400, {
      status: { code: 40000, message: 'amount exceeds the captured amount not yet refunded' },
    });
    expect(await adapter.refundAuthorization(op)).toMatchObject({
      kind: 'declined',
      reason: expect.stringContaining('40000'),
    });
    handler = answer(404, {});
    expect(await adapter.reverse(AUTH_ID)).toEqual({ kind: 'not-found' });
  });

  it('keeps reference and text_on_statement within the documented rules', () => {
    expect(clearhausReference(ATTEMPT)).toHaveLength(22);
    expect(clearhausReference(`${ATTEMPT}.3ds`).length).toBeLessThanOrEqual(30);
    expect(textOnStatement('Blåbær & Øl ApS — København')).toBe('Blaabaer & Oel ApS  Ko');
    expect(textOnStatement('1234')).toBeUndefined();
    expect(textOnStatement('aaaa')).toBeUndefined();
    expect(textOnStatement('abcd')).toBeUndefined();
    expect(textOnStatement('x')).toBeUndefined();
  });
});

function answer(status: number, body: unknown): Handler {
  return (_entry, res) => {
    res.writeHead(status, {
      'content-type': 'application/vnd.clearhaus-gateway.hal+json; version=0.10.0; charset=utf-8',
    });
    res.end(JSON.stringify(body));
  };
}

async function waitFor(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i += 1) await new Promise((r) => setTimeout(r, 20));
  expect(done()).toBe(true);
}
