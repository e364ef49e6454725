import type { RunningSandbox } from '../../apps/sandbox/src/sandbox.bootstrap';
import { ACQUIRER_TEST_CARDS } from '../../apps/sandbox/src/acquirers/test-cards';
import { TEST_WALLET } from '../../apps/sandbox/src/mobilepay/test-wallet';
import { luhnValid } from '../../apps/sandbox/src/mobilepay/payment-rules';
import { SandboxClient, sleep, startTestSandbox } from './helpers/sandbox-harness';

const FUTURE_YEAR = (new Date().getUTCFullYear() + 2) % 100;

function authorization(reference: string, overrides: Record<string, unknown> = {}) {
  return {
    reference,
    merchantId: 'acq-merchant-1',
    amount: 10_000,
    currency: 'DKK',
    cardType: 'VISA-CREDIT',
    card: { kind: 'pan', number: '4111111111111111', expiryMonth: 12, expiryYear: FUTURE_YEAR },
    ...overrides,
  };
}

describe('sandbox: REST acquirer simulator', () => {
  let sandbox: RunningSandbox;
  let client: SandboxClient;
  let n = 0;

  const authorize = (overrides: Record<string, unknown> = {}, reference = `ref-${++n}`) =>
    client.call('POST', '/acquirer/v1/authorizations', authorization(reference, overrides), {
      'idempotency-key': reference,
    });

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    client = new SandboxClient(sandbox.url);
  });

  afterAll(() => sandbox.close());

  it('has Luhn-valid wallet and acquirer test cards of every card type', () => {
    for (const card of [...TEST_WALLET, ...ACQUIRER_TEST_CARDS])
      expect(luhnValid(card.pan)).toBe(true);
    const types = new Set(TEST_WALLET.map((c) => c.cardType));
    expect([...types].sort()).toEqual([
      'DANKORT',
      'ELEC-DEBIT',
      'MC-CREDIT',
      'MC-DEBIT',
      'VISA-CREDIT',
      'VISA-DEBIT',
    ]);
    for (const card of ACQUIRER_TEST_CARDS)
      expect(TEST_WALLET.some((w) => w.pan === card.pan)).toBe(true);
  });

  it('approves an ordinary card', async () => {
    const reply = await authorize({ posCode: 'K005K0K00130', delegatedAuthentication: true });
    expect(reply).toMatchObject({
      status: 200,
      body: {
        status: 'APPROVED',
        amount: 10_000,
        currency: 'DKK',
        acquirerReference: expect.any(String),
      },
    });
    expect(reply.body.declineCode).toBeUndefined();
  });

  it.each([
    ['4000000000000002', 'DECLINED', 'DO_NOT_HONOR'],
    ['4000000000009995', 'DECLINED', 'INSUFFICIENT_FUNDS'],
    ['4100000000000019', 'DECLINED', 'FRAUD_SUSPECTED'],
    ['4000000000000069', 'DECLINED', 'EXPIRED_CARD'],
    ['4000000000003220', 'SOFT_DECLINED', 'SOFT_BLOCKED'],
  ])('answers the test card %s with %s %s', async (number, status, declineCode) => {
    const reply = await authorize({
      card: { kind: 'pan', number, expiryMonth: 12, expiryYear: FUTURE_YEAR },
    });
    expect(reply.body).toMatchObject({ status, declineCode });
  });

  it('applies the amount and expiry rules, and approves a soft decline with 3DS', async () => {
    expect((await authorize({ amount: 1_251 })).body).toMatchObject({
      declineCode: 'INSUFFICIENT_FUNDS',
    });
    const expired = await authorize({
      card: { kind: 'pan', number: '4111111111111111', expiryMonth: 1, expiryYear: 20 },
    });
    expect(expired.body).toMatchObject({ status: 'DECLINED', declineCode: 'EXPIRED_CARD' });
    const withThreeDs = await authorize({
      card: { kind: 'pan', number: '4000000000003220', expiryMonth: 12, expiryYear: FUTURE_YEAR },
      threeDS: { cryptogram: 'AAABBBCCC', eci: '05', version: '2.2.0' },
    });
    expect(withThreeDs.body.status).toBe('APPROVED');
    const token = await authorize({
      card: {
        kind: 'network-token',
        token: '4895370012003478',
        expiryMonth: 12,
        expiryYear: FUTURE_YEAR,
        cryptogram: 'AgAAAAAA',
        eci: '07',
        tokenMethod: 'VTS',
      },
    });
    expect(token.body.status).toBe('APPROVED');
  });

  it('is idempotent on the reference: two requests, one authorization', async () => {
    const first = await authorize({}, 'idem-1');
    const second = await authorize({}, 'idem-1');
    expect(second.body).toEqual(first.body);
    const conflicting = await authorize({ amount: 99 }, 'idem-1');
    expect(conflicting).toMatchObject({ status: 409, body: { code: 'IDEMPOTENCY_CONFLICT' } });
    const records = (await client.call('GET', '/acquirer/v1/_records')).body;
    const record = (records as { reference: string }[]).find((r) => r.reference === 'idem-1');
    expect(record).toMatchObject({
      requests: 3,
      authorizations: 1,
      maskedCard: '411111******1111',
    });
    expect(JSON.stringify(records)).not.toContain('4111111111111111');
  });

  it('answers inquiries (404 then 200) and reversals', async () => {
    const missing = await client.call('GET', '/acquirer/v1/authorizations/inq-1');
    expect(missing).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    const approved = await authorize({}, 'inq-1');
    const found = await client.call('GET', '/acquirer/v1/authorizations/inq-1');
    expect(found).toMatchObject({ status: 200, body: { ...approved.body, reversed: false } });
    const reversal = await client.call('POST', '/acquirer/v1/authorizations/inq-1/reversal');
    expect(reversal).toMatchObject({ status: 200, body: { status: 'REVERSED' } });
    expect((await client.call('GET', '/acquirer/v1/authorizations/inq-1')).body.reversed).toBe(
      true,
    );
  });

  it('rejects malformed requests with 400 and never echoes the card number', async () => {
    const noKey = await client.call('POST', '/acquirer/v1/authorizations', authorization('nokey'));
    expect(noKey).toMatchObject({ status: 400, body: { code: 'MISSING_IDEMPOTENCY_KEY' } });
    const bad = await authorize({
      currency: 'dk',
      card: { kind: 'pan', number: '4111111111111111' },
    });
    expect(bad).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(JSON.stringify(bad.body)).not.toContain('4111111111111111');
  });

  it('delays answers on demand', async () => {
    await client.call('POST', '/acquirer/v1/_behaviour', { delayMs: 300 });
    const started = Date.now();
    await authorize();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect((await client.call('DELETE', '/acquirer/v1/_behaviour')).status).toBe(204);
    await sleep(0);
  });
});
