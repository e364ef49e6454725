import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ThreeDsServerClient,
  base64url,
  determineMessageVersion,
  purchaseDate,
  type AuthRequest,
} from './three-ds-server-client';

/** Answers from the 3dsecure.io documentation, served over a real socket. */
const PREAUTH_CRD = {
  dsProtocolVersions: ['2.2.0', '2.3.1'],
  dsStartProtocolVersion: '2.2.0',
  dsEndProtocolVersion: '2.3.1',
  acsProtocolVersions: [
    {
      acsInfoInd: ['01', '02'],
      threeDSMethodURL:
        'https://secure7.arcot.com/content-server/api/tds2/txn/browser/v1/tds-method',
      version: '2.2.0',
    },
  ],
  acsStartProtocolVersion: '2.2.0',
  acsEndProtocolVersion: '2.2.0',
  threeDSServerProtocolVersions: ['2.1.0', '2.2.0', '2.3.1'],
  threeDSMethodURL: 'https://secure7.arcot.com/content-server/api/tds2/txn/browser/v1/tds-method',
  threeDSServerTransID: '6b91f61e-9e62-4f5c-ab8c-f1ffb84122cb',
  scheme: 'mastercard',
  messageType: 'CRD',
};
const NOT_ENROLLED = {
  messageType: 'Erro',
  errorCode: '305',
  errorComponent: 'S',
  errorDescription: 'Unknown BIN',
  errorDetail: 'No CRD found, card with BIN ****** is not enrolled with any known DS',
  messageVersion: '2.2.0',
};
const ARES_FRICTIONLESS = {
  acsOperatorID: '3dsecure.io-standin-acs',
  acsReferenceNumber: '3dsecure.io-standin-acs',
  acsTransID: '43163cd0-c849-4924-82c1-7bec32b94881',
  authenticationValue: 'mK225wGt2bLnnLB0UlRky0oHLnU=',
  dsReferenceNumber: '3dsecure.io-standin-ds',
  dsTransID: '1cf815e5-cc85-436f-8e13-9f5e5aea731f',
  eci: '05',
  messageType: 'ARes',
  messageVersion: '2.1.0',
  threeDSServerTransID: '3f1ed47a-2edc-4b0e-a4cf-bdb0f65d48c6',
  transStatus: 'Y',
};
const ARES_CHALLENGE = {
  acsChallengeMandated: 'N',
  acsOperatorID: '3dsecureio-standin-acs',
  acsReferenceNumber: '3dsecureio-standin-acs',
  acsTransID: 'b85d3eb5-d2d2-45af-bc1b-6188021ae602',
  acsURL: 'https://acs.sandbox.3dsecure.io/browser/challenge/manual',
  authenticationType: '01',
  dsReferenceNumber: '3dsecureio-standin-ds',
  dsTransID: '496af67a-56ed-4fd3-bbcf-690b0df93c3d',
  messageType: 'ARes',
  messageVersion: '2.1.0',
  threeDSServerTransID: '218565e2-0cae-4236-868e-09168275c8c6',
  transStatus: 'C',
};
const DS_TIMEOUT = {
  errorCode: '405',
  errorComponent: 'S',
  errorDescription: 'Unable to contact Directory Server',
  errorDetail: 'Connection timeout',
  errorMessageType: 'AReq',
  messageType: 'Erro',
  messageVersion: '2.1.0',
  threeDSServerTransID: '2401433d-68be-4820-b1e7-5aa3b44dfa5a',
};
const POSTAUTH_EXPIRED = {
  errorCode: '203',
  errorComponent: 'S',
  errorDescription: 'Unknown threeDSServerTransID',
  errorDetail: 'Unknown threeDSServerTransID',
  messageType: 'Erro',
  messageVersion: '2.2.0',
  threeDSServerTransID: '33eaca9c-5aff-41d9-ad75-a2cde347be2a',
};

interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

describe('ThreeDsServerClient (3dsecure.io)', () => {
  let server: Server;
  let baseUrl: string;
  let reply: { status: number; type?: string; body: unknown } = { status: 200, body: {} };
  const seen: Seen[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let data = '';
      req.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
      req.on('end', () => {
        seen.push({
          path: req.url!,
          headers: req.headers,
          body: JSON.parse(data) as Record<string, unknown>,
        });
        res.writeHead(reply.status, { 'content-type': reply.type ?? 'application/json' });
        res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (seen.length = 0));

  const client = () =>
    new ThreeDsServerClient({
      baseUrl,
      apiKey: '1bde2d3e-7f44-46df-adfd-1db8f3f75783',
      timeoutMs: 2000,
    });

  const request: AuthRequest = {
    threeDSServerTransID: '3f1ed47a-2edc-4b0e-a4cf-bdb0f65d48c6',
    messageVersion: '2.1.0',
    threeDSCompInd: 'Y',
    acctNumber: '9000100511111111',
    cardExpiryDate: '2912',
    notificationURL: 'https://psp.example/3ds/x/challenge-result',
    threeDSRequestorURL: 'https://psp.example',
    acquirerBIN: '438309',
    acquirerMerchantID: '00002000000',
    mcc: '5411',
    merchantCountryCode: '208',
    merchantName: 'Dummy Merchant',
    purchaseAmount: 101n,
    purchaseCurrency: '208',
    purchaseExponent: 2,
    purchaseDate: new Date('2017-03-16T14:13:12Z'),
    browser: {
      acceptHeader: 'text/html,application/xhtml+xml,application/xml; q=0.9,*/*;q=0.8',
      userAgent: 'Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:47.0) Gecko/20100101 Firefox/47.0',
      ip: '192.168.1.11',
      javaEnabled: true,
      javascriptEnabled: true,
      language: 'en',
      colorDepth: '48',
      screenHeight: '400',
      screenWidth: '600',
      tz: '0',
    },
  };

  it('posts /preauth with the APIKey header and JSON content type; determines the version', async () => {
    reply = { status: 200, body: PREAUTH_CRD };
    const now = new Date('2026-01-01T00:00:00Z');
    const result = await client().preauth('4111111111111111', now);
    expect(seen[0]).toMatchObject({
      path: '/preauth',
      headers: {
        apikey: '1bde2d3e-7f44-46df-adfd-1db8f3f75783',
        'content-type': 'application/json; charset=utf-8',
      },
      body: { acctNumber: '4111111111111111' },
    });
    expect(result).toEqual({
      kind: 'enrolled',
      threeDSServerTransID: '6b91f61e-9e62-4f5c-ab8c-f1ffb84122cb',
      // DS 2.2.0–2.3.1, ACS 2.2.0 only: 2.2.0.
      messageVersion: '2.2.0',
      threeDSMethodURL: PREAUTH_CRD.threeDSMethodURL,
      expiresAt: new Date('2026-01-01T00:01:20Z'),
    });
  });

  it('recognises the not-enrolled answer (Erro 305) apart from other errors', async () => {
    reply = { status: 200, body: NOT_ENROLLED };
    expect(await client().preauth('9000100111111111')).toEqual({ kind: 'not-enrolled' });
    reply = {
      status: 400,
      body: { ...NOT_ENROLLED, errorCode: '201', errorDescription: 'Required element missing' },
    };
    expect(await client().preauth('9000100111111111')).toEqual({
      kind: 'failed',
      error:
        '201 Required element missing (No CRD found, card with BIN ****** is not enrolled with any known DS)',
    });
  });

  it('a wrong API key (401, plain text) is a failed call', async () => {
    reply = { status: 401, type: 'text/plain; charset=utf-8', body: 'Invalid API Key' };
    expect(await client().preauth('4111111111111111')).toEqual({
      kind: 'failed',
      error: '3-D Secure server answered 401 (/preauth)',
    });
  });

  it('builds the browser AReq with the keys of the documented example', async () => {
    reply = { status: 200, body: ARES_FRICTIONLESS };
    const result = await client().auth(request);
    expect(seen[0].path).toBe('/auth');
    expect(seen[0].body).toMatchObject({
      messageType: 'AReq',
      messageVersion: '2.1.0',
      messageCategory: '01',
      deviceChannel: '02',
      threeDSCompInd: 'Y',
      threeDSRequestorAuthenticationInd: '01',
      purchaseAmount: '101',
      purchaseCurrency: '208',
      purchaseExponent: '2',
      purchaseDate: '20170316141312',
      browserJavascriptEnabled: true,
      browserTZ: '0',
      browserIP: '192.168.1.11',
    });
    expect(result).toMatchObject({
      kind: 'frictionless',
      ares: { transStatus: 'Y', eci: '05', authenticationValue: 'mK225wGt2bLnnLB0UlRky0oHLnU=' },
    });
    expect(JSON.parse((result as { ares: { message: string } }).ares.message)).toEqual(
      ARES_FRICTIONLESS,
    );
  });

  it('a challenge ARes gives the ACS URL and ACS transaction id', async () => {
    reply = { status: 200, body: ARES_CHALLENGE };
    const result = await client().auth({
      ...request,
      threeDSServerTransID: ARES_CHALLENGE.threeDSServerTransID,
    });
    expect(result).toMatchObject({
      kind: 'challenge',
      acsURL: 'https://acs.sandbox.3dsecure.io/browser/challenge/manual',
      acsTransID: 'b85d3eb5-d2d2-45af-bc1b-6188021ae602',
    });
  });

  it.each(['N', 'R', 'U', 'I'])('ARes transStatus %s is not an authentication', async (status) => {
    reply = { status: 200, body: { ...ARES_FRICTIONLESS, transStatus: status, eci: undefined } };
    expect(await client().auth(request)).toMatchObject({
      kind: 'not-authenticated',
      ares: { transStatus: status },
    });
  });

  it('a Directory Server timeout (Erro 405) and an ARes for another transaction fail', async () => {
    reply = { status: 200, body: DS_TIMEOUT };
    expect(await client().auth(request)).toEqual({
      kind: 'failed',
      error: '405 Unable to contact Directory Server (Connection timeout)',
    });
    reply = { status: 200, body: ARES_CHALLENGE };
    expect(await client().auth(request)).toEqual({
      kind: 'failed',
      error: 'unexpected /auth answer',
    });
  });

  it('/postauth returns the RReq; an expired transaction (Erro 203) fails', async () => {
    const rreq = {
      ...ARES_FRICTIONLESS,
      messageType: 'RReq',
      threeDSServerTransID: '51d84cdf-73d9-4610-8b4c-7c6395fee0f0',
    };
    reply = { status: 200, body: rreq };
    const result = await client().postauth('51d84cdf-73d9-4610-8b4c-7c6395fee0f0');
    expect(seen[0]).toMatchObject({
      path: '/postauth',
      body: { threeDSServerTransID: '51d84cdf-73d9-4610-8b4c-7c6395fee0f0' },
    });
    expect(result).toMatchObject({
      kind: 'result',
      rreq: { messageType: 'RReq', transStatus: 'Y' },
    });
    reply = { status: 200, body: POSTAUTH_EXPIRED };
    expect(await client().postauth('33eaca9c-5aff-41d9-ad75-a2cde347be2a')).toEqual({
      kind: 'failed',
      error: '203 Unknown threeDSServerTransID (Unknown threeDSServerTransID)',
    });
  });

  it('an unreachable server is a failed call', async () => {
    const offline = new ThreeDsServerClient({
      baseUrl: 'http://127.0.0.1:9',
      apiKey: 'k',
      timeoutMs: 500,
    });
    expect(await offline.postauth('x')).toMatchObject({ kind: 'failed' });
  });
});

describe('3-D Secure version determination', () => {
  it.each([
    [{ dsEndProtocolVersion: '2.2.0', acsEndProtocolVersion: '2.1.0' }, '2.1.0'],
    [{ dsEndProtocolVersion: '2.2.0', acsEndProtocolVersion: '2.2.0' }, '2.2.0'],
    [{ acsStartProtocolVersion: '2.1.0', acsEndProtocolVersion: '2.3.1' }, '2.3.1'],
    [
      {
        acsStartProtocolVersion: '2.2.0',
        acsEndProtocolVersion: '2.2.0',
        dsEndProtocolVersion: '2.3.1',
      },
      '2.2.0',
    ],
    [{ acsStartProtocolVersion: '2.4.0', acsEndProtocolVersion: '2.4.0' }, undefined],
    [{}, undefined],
  ])('%j → %s', (crd, version) => {
    expect(determineMessageVersion(crd)).toBe(version);
  });
});

describe('encodings', () => {
  it('purchaseDate is UTC YYYYMMDDHHMMSS', () => {
    expect(purchaseDate(new Date('2017-03-16T14:13:12Z'))).toBe('20170316141312');
  });

  it('base64url encodes without padding and decodes padded values (the documented CRes)', () => {
    expect(base64url.encode('{"a":1}')).not.toContain('=');
    const cres =
      'eyJhY3NUcmFuc0lEIjoiODc3OTFjZWUtMjUxNC00MzZjLWJlZDgtYTYzYTg3YmJkZjAxIiwiY2hhbGxlbmdlQ29tcGxldGlvbkluZCI6IlkiLCJtZXNzYWdlVHlwZSI6IkNSZXMiLCJtZXNzYWdlVmVyc2lvbiI6IjIuMS4wIiwidGhyZWVEU1NlcnZlclRyYW5zSUQiOiJkNDFmNjIwMC0wNDM1LTQ5ZWUtYWExMS1mMzY2ZjA2NjFjNmYiLCJ0cmFuc1N0YXR1cyI6IlkifQ';
    expect(JSON.parse(base64url.decode(cres))).toMatchObject({
      messageType: 'CRes',
      transStatus: 'Y',
    });
    expect(JSON.parse(base64url.decode(`${cres}==`))).toMatchObject({ transStatus: 'Y' });
  });
});
