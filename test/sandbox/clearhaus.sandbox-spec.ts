import { generateKeyPairSync } from 'node:crypto';
import { DEFAULT_TEST_ACCOUNT } from '../../apps/sandbox/src/acquirers/clearhaus/clearhaus-simulator.controller';
import { DOCS_SIGNING_API_KEY } from '../../apps/sandbox/src/acquirers/clearhaus/clearhaus-signature';
import type { RunningSandbox } from '../../apps/sandbox/src/sandbox.bootstrap';
import {
  basicAuth,
  ClearhausSigner,
  encodeForm,
} from '../../libs/acquirers/src/clearhaus/clearhaus-form';
import { startTestSandbox } from './helpers/sandbox-harness';

// The docs' example signing key (the simulator always knows its public half).
const DOCS_PRIVATE = `-----BEGIN RSA PRIVATE KEY-----
MIIBOwIBAAJBALYK0zmwuYkH3YWcFNLLddx5cwDxEY7Gi1xITuQqRrU4yD3uSw+J
WYKknb4Tbndb6iEHY+e6gIGD+49TojnNeIUCAwEAAQJARyuYRRe4kcBHdPL+mSL+
Y0IAGkAlUyKAXYXPghidKD/v/oLrFaZWALGM2clv6UoYYpPnInSgbcud4sTcfeUm
QQIhAN2JZ2qv0WGcbIopBpwpQ5jDxMGVkmkVVUEWWABGF8+pAiEA0lySxTELZm8b
Gx9UEDRghN+Qv/OuIKFldu1Ba4f8W30CIQCaQFIBtunTTVdF28r+cLzgYW9eWwbW
pEP4TdZ4WlW6AQIhAMDCTUdeUpjxlH/87BXROORozAXocBW8bvJUI486U5ctAiAd
InviQqJd1KTGRDmWIGrE5YACVmW2JSszD9t5VKxkAA==
-----END RSA PRIVATE KEY-----`;

const YEAR = String(new Date().getUTCFullYear() + 2);

describe('sandbox: Clearhaus simulator', () => {
  let sandbox: RunningSandbox;
  const signer = new ClearhausSigner(DOCS_SIGNING_API_KEY, DOCS_PRIVATE);

  const post = async (
    path: string,
    params: [string, string][],
    {
      sign = signer,
      apiKey = DEFAULT_TEST_ACCOUNT.apiKey,
    }: { sign?: ClearhausSigner | null; apiKey?: string } = {},
  ) => {
    const body = encodeForm(params);
    const response = await fetch(`${sandbox.url}/clearhaus${path}`, {
      method: 'POST',
      headers: {
        authorization: basicAuth(apiKey),
        'content-type': 'application/x-www-form-urlencoded',
        ...(sign ? { signature: sign.header(body) } : {}),
      },
      body,
    });
    return {
      status: response.status,
      body: (await response.json()) as { id?: string; status?: { code: number; message?: string } },
    };
  };
  const card = (
    pan: string,
    amount: number,
    extra: [string, string][] = [],
  ): [string, string][] => [
    ['amount', String(amount)],
    ['currency', 'DKK'],
    ['mobilepayonline[pan]', pan],
    ['mobilepayonline[expire_month]', '12'],
    ['mobilepayonline[expire_year]', YEAR],
    ...extra,
  ];

  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(() => sandbox.close());

  it('approves a signed request with a valid API key', async () => {
    const answer = await post('/authorizations', card('4111111111111111', 2050));
    expect(answer).toMatchObject({ status: 201, body: { status: { code: 20000 } } });
    expect(answer.body.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a signature that does not verify, a missing one, and an unknown API key', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const impostor = new ClearhausSigner(
      DOCS_SIGNING_API_KEY,
      privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    );
    expect(
      await post('/authorizations', card('4111111111111111', 100), { sign: impostor }),
    ).toMatchObject({
      status: 400,
      body: { status: { code: 40000, message: 'invalid signature (invalid)' } },
    });
    expect(
      await post('/authorizations', card('4111111111111111', 100), { sign: null }),
    ).toMatchObject({
      status: 400,
      body: { status: { code: 40000, message: 'signature required' } },
    });
    expect(
      (await post('/authorizations', card('4111111111111111', 100), { apiKey: 'nope' })).status,
    ).toBe(401);
  });

  it('refuses parameters with the documented status codes', async () => {
    const code = async (params: [string, string][]) =>
      (await post('/authorizations', params)).body.status?.code;
    expect(await code(card('411111', 100))).toBe(40110);
    expect(await code(card('5019717010103742', 100))).toBe(40111);
    expect(
      await code(
        [...card('4111111111111111', 100)].map(([k, v]) =>
          k === 'currency' ? [k, 'XXX'] : [k, v],
        ),
      ),
    ).toBe(40140);
    expect(await code(card('4111111111111111', 100, [['text_on_statement', '123456']]))).toBe(
      40150,
    );
    expect(await code(card('4111111111111111', 100, [['reference', 'x'.repeat(31)]]))).toBe(40000);
    expect(
      await code(
        card('4111111111111111', 100, [['mobilepayonline[payment_token]', '{"tokenData":{}}']]),
      ),
    ).toBe(40000);
    expect(await code(card('4200000000000000', 40413))).toBe(40413);
    expect(await code(card('4200000000000000', 12_995))).toBe(40110);
    expect(await code(card('4000056655665556', 100))).toBe(40110);
    const raw = (name: string, value: string): [string, string] => [
      `mobilepayonline[3dsecure][v2][raw][${name}]`,
      value,
    ];
    const authenticated = [
      raw('trans_status', 'Y'),
      raw('message_version', '2.2.0'),
      raw('message_type', 'RReq'),
      raw('eci', '05'),
      raw('av', 'kBMI/uGZvlKCygBkcQIlLJeBTPLG'),
    ];
    expect(await code(card('4200000000000000', 40416))).toBe(40416);
    expect(await code(card('4200000000000000', 40416, authenticated))).toBe(20000);
    expect(await code(card('4200000000000000', 40416, authenticated.slice(0, 3)))).toBe(40300);
    expect(
      await code(
        card('4200000000000000', 40416, [...authenticated.slice(1), raw('trans_status', 'N')]),
      ),
    ).toBe(40310);
  });

  it('keeps the amount rules of captures, refunds and voids', async () => {
    const { body } = await post('/authorizations', card('4111111111111111', 1_000));
    const id = body.id!;
    const code = async (path: string, params: [string, string][] = []) =>
      (await post(`/authorizations/${id}/${path}`, params)).body.status?.code;
    expect(await code('captures', [['amount', '600']])).toBe(20000);
    expect(await code('captures', [['amount', '500']])).toBe(40000);
    expect(await code('refunds', [['amount', '600']])).toBe(20000);
    // A refund does not free captured amount: 400 remain to capture, not 1000.
    expect(await code('captures', [['amount', '401']])).toBe(40000);
    expect(await code('captures')).toBe(20000);
    expect(await code('voids')).toBe(40000);
  });
});
