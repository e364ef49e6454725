import {
  type AuthorizationRequest,
  Iso8583AcquirerAdapter,
  type Iso8583AcquirerOptions,
} from '@app/acquirers';
import type { RunningSandbox } from '../../apps/sandbox/src/sandbox.bootstrap';
import { freePort } from '../../scripts/stack/stack';
import { type Json, SandboxClient, sleep, startTestSandbox } from './helpers/sandbox-harness';

const FUTURE_YEAR = new Date().getUTCFullYear() + 2;
const silent = { warn: () => undefined };

describe('sandbox: ISO 8583 acquirer simulator through the real adapter (TCP)', () => {
  let sandbox: RunningSandbox;
  let client: SandboxClient;
  let sut: Iso8583AcquirerAdapter;
  const adapters: Iso8583AcquirerAdapter[] = [];
  let n = 0;

  const adapter = (overrides: Partial<Iso8583AcquirerOptions> = {}) => {
    const created = new Iso8583AcquirerAdapter({
      host: '127.0.0.1',
      port: sandbox.iso8583.port,
      timeoutMs: 1_000,
      vatNumber: 'DK20016175',
      terminalId: 'MPO00001',
      logger: silent,
      ...overrides,
    });
    adapters.push(created);
    return created;
  };

  const request = (overrides: Partial<AuthorizationRequest> = {}): AuthorizationRequest => ({
    reference: `attempt-${++n}-${Date.now()}`,
    acquirerMerchantId: '1234567',
    amount: 10_000n,
    currency: 'DKK',
    cardType: 'VISA-CREDIT',
    card: { kind: 'pan', number: '4111111111111111', expiryMonth: 12, expiryYear: FUTURE_YEAR },
    ...overrides,
  });

  const pan = (number: string) => ({
    card: { kind: 'pan' as const, number, expiryMonth: 12, expiryYear: FUTURE_YEAR },
  });

  const records = async (): Promise<Json[]> =>
    (await client.call('GET', '/acquirer/iso8583/_records')).body as Json[];
  const recordOf = async (reference: string): Promise<Json> =>
    (await records()).find((r) => r.reference === reference);
  const behave = (body: Json) => client.call('POST', '/acquirer/iso8583/_behaviour', body);

  beforeAll(async () => {
    sandbox = await startTestSandbox({ SANDBOX_ISO8583_PORT: '0' });
    client = new SandboxClient(sandbox.url);
    sut = adapter();
  });

  afterEach(async () => {
    await client.call('DELETE', '/acquirer/iso8583/_behaviour');
  });

  afterAll(async () => {
    await Promise.all(adapters.map((a) => a.close()));
    await sandbox.close();
  });

  it('listens on its own TCP port, shown in the handle and over HTTP', async () => {
    expect(sandbox.iso8583.port).toBeGreaterThan(0);
    const info = await client.call('GET', '/acquirer/iso8583/_info');
    expect(info.body).toEqual({ host: '127.0.0.1', port: sandbox.iso8583.port });
  });

  it('approves an ordinary card for the amount asked for', async () => {
    const sent = request();
    const result = await sut.authorize(sent);
    expect(result).toEqual({
      kind: 'approved',
      acquirerReference: expect.stringMatching(/^[A-Z2-7]{12}$/),
      amount: 10_000n,
      currency: 'DKK',
    });
    expect(await recordOf(sent.reference)).toMatchObject({
      requests: 1,
      authorizations: 1,
      amount: 10_000,
      currency: 'DKK',
      responseCode: '00',
      maskedCard: '411111******1111',
      terminalId: 'MPO00001',
      acquirerMerchantId: '1234567',
    });
    expect(JSON.stringify(await records())).not.toContain('4111111111111111');
  });

  it.each([
    ['4000000000000002', 'DO_NOT_HONOR', '05'],
    ['4000000000009995', 'INSUFFICIENT_FUNDS', '51'],
    ['4100000000000019', 'FRAUD_SUSPECTED', '59'],
    ['4000000000000069', 'EXPIRED_CARD', '54'],
    ['4000000000000101', 'WEB_PAYMENTS_DISABLED', '57'],
    ['5105105105105100', 'HARD_BLOCKED', '62'],
  ])('declines the test card %s as %s (response code %s)', async (number, reason, code) => {
    const sent = request(pan(number));
    expect(await sut.authorize(sent)).toEqual({
      kind: 'declined',
      reason,
      acquirerReference: expect.any(String),
    });
    expect((await recordOf(sent.reference)).responseCode).toBe(code);
  });

  it('applies the amount and expiry rules of the REST acquirer', async () => {
    expect(await sut.authorize(request({ amount: 1_251n }))).toMatchObject({
      reason: 'INSUFFICIENT_FUNDS',
    });
    const expired = {
      kind: 'pan' as const,
      number: '4111111111111111',
      expiryMonth: 1,
      expiryYear: 2020,
    };
    expect(await sut.authorize(request({ card: expired }))).toMatchObject({
      reason: 'EXPIRED_CARD',
    });
  });

  it('soft-declines (1A, SCA required), then approves the re-authorization with 3-D Secure', async () => {
    const soft = request(pan('4000000000003220'));
    expect(await sut.authorize(soft)).toEqual({
      kind: 'soft-declined',
      acquirerReference: expect.any(String),
    });
    expect((await recordOf(soft.reference)).responseCode).toBe('1A');
    const threeDS = {
      cryptogram: 'AAABBBCCC=',
      eci: '05',
      version: '2.2.0',
      transactionId: 'ds-1',
    };
    const again = { ...soft, reference: `${soft.reference}-3ds`, threeDS };
    expect((await sut.authorize(again)).kind).toBe('approved');
    expect(await recordOf(again.reference)).toMatchObject({ threeDS: true });
  });

  it('puts the Dankort delegated authentication fields on the wire, exactly', async () => {
    const sent = request({ cardType: 'DANKORT', ...pan('5019717010103742') });
    expect((await sut.authorize(sent)).kind).toBe('approved');
    expect(await recordOf(sent.reference)).toMatchObject({
      posDataCode: 'K005K0K00130',
      additionalDataNational: '7R0108844101001V!00223',
      additionalDataNationalTags: { '7R': '8844101001', 'V!': '23' },
      maskedCard: '501971******3742',
    });
  });

  it.each(['VISA-DEBIT', 'MC-CREDIT'] as const)('sends %s without them', async (cardType) => {
    const sent = request({ cardType, ...pan('5019717010103742') });
    await sut.authorize(sent);
    expect(await recordOf(sent.reference)).toMatchObject({
      posDataCode: null,
      additionalDataNational: null,
      additionalDataNationalTags: {},
    });
  });

  it('authorizes a VTS network token with its cryptogram, never recording the cryptogram', async () => {
    const sent = request({
      card: {
        kind: 'network-token',
        token: '4895370012003478',
        expiryMonth: 12,
        expiryYear: FUTURE_YEAR,
        cryptogram: 'AgAAAAAAAIR8CQrXcIhbQAAAAAA=',
        eci: '07',
        tokenMethod: 'VTS',
      },
    });
    expect((await sut.authorize(sent)).kind).toBe('approved');
    expect(await recordOf(sent.reference)).toMatchObject({
      cardKind: 'network-token',
      tokenMethod: 'VTS',
    });
    expect(JSON.stringify(await records())).not.toContain('AgAAAAAAAIR8CQrXcIhbQAAAAAA=');
  });

  it.each([
    [true, true],
    [false, false],
    [undefined, null],
  ])(
    "carries a VTS token's delegated authentication (%s) on the wire; the host reads %s",
    async (flag, recorded) => {
      const sent = request({
        card: {
          kind: 'network-token',
          token: '4895370012003478',
          expiryMonth: 12,
          expiryYear: FUTURE_YEAR,
          cryptogram: 'AgAAAAAAAIR8CQrXcIhbQAAAAAA=',
          eci: '05',
          tokenMethod: 'VTS',
          ...(flag === undefined ? {} : { delegatedAuthentication: flag }),
        },
      });
      expect((await sut.authorize(sent)).kind).toBe('approved');
      expect(await recordOf(sent.reference)).toMatchObject({
        cardKind: 'network-token',
        delegatedAuthentication: recorded,
      });
    },
  );

  it('is idempotent per RRN: a repeated 0100 gets the stored answer, no second authorization', async () => {
    const sent = request();
    const first = await sut.authorize(sent);
    const second = await adapter().authorize(sent); // another pod, another connection
    expect(second).toEqual(first);
    expect(await recordOf(sent.reference)).toMatchObject({ requests: 2, authorizations: 1 });
  });

  it('returns unknown when the same reference comes back with another amount (94)', async () => {
    const sent = request();
    await sut.authorize(sent);
    expect((await sut.authorize({ ...sent, amount: 20_000n })).kind).toBe('unknown');
    expect(await recordOf(sent.reference)).toMatchObject({ authorizations: 1, amount: 10_000 });
  });

  it('matches concurrent requests on one connection by STAN and RRN', async () => {
    const sent = Array.from({ length: 20 }, (_, i) => request({ amount: BigInt(1_000 + i * 100) }));
    const results = await Promise.all(sent.map((r) => sut.authorize(r)));
    results.forEach((result, i) => {
      expect(result).toMatchObject({ kind: 'approved', amount: sent[i].amount });
    });
  });

  it('returns unknown when the answer comes too late, and the inquiry finds the approval', async () => {
    await behave({ delayMs: 1_500 });
    const sent = request();
    const impatient = adapter({ timeoutMs: 300 });
    expect(await impatient.authorize(sent)).toEqual({
      kind: 'unknown',
      error: 'no answer within the timeout',
    });
    await client.call('DELETE', '/acquirer/iso8583/_behaviour');
    expect(
      await impatient.inquire(sent.reference, { amount: 10_000n, currency: 'DKK' }),
    ).toMatchObject({ kind: 'approved', amount: 10_000n });
  });

  it('returns unknown when the host stalls, and the inquiry then finds nothing', async () => {
    await behave({ mode: 'stall', times: 1 });
    const sent = request();
    expect((await adapter({ timeoutMs: 300 }).authorize(sent)).kind).toBe('unknown');
    expect(await sut.inquire(sent.reference, { amount: 10_000n, currency: 'DKK' })).toEqual({
      kind: 'not-found',
    });
  });

  it('reply dropped after acting → unknown → inquiry finds the approval → a retry authorizes nothing', async () => {
    await behave({ mode: 'drop-reply-after-acting', times: 1 });
    const sent = request();
    expect((await adapter({ timeoutMs: 300 }).authorize(sent)).kind).toBe('unknown');
    expect(await sut.inquire(sent.reference, { amount: 10_000n, currency: 'DKK' })).toMatchObject({
      kind: 'approved',
      amount: 10_000n,
    });
    expect((await sut.authorize(sent)).kind).toBe('approved');
    expect(await recordOf(sent.reference)).toMatchObject({
      requests: 2,
      authorizations: 1,
      inquiries: 1,
    });
  });

  it('connection closed after acting → unknown; the adapter reconnects for the inquiry', async () => {
    await behave({ mode: 'close-after-acting', times: 1 });
    const sent = request();
    const result = await sut.authorize(sent);
    expect(result).toEqual({
      kind: 'unknown',
      error: 'connection lost after the request was sent',
    });
    expect((await sut.inquire(sent.reference, { amount: 10_000n, currency: 'DKK' })).kind).toBe(
      'approved',
    );
  });

  it('returns unknown from an inquiry about another amount than the one authorized', async () => {
    const sent = request();
    await sut.authorize(sent);
    expect((await sut.inquire(sent.reference, { amount: 20_000n, currency: 'DKK' })).kind).toBe(
      'unknown',
    );
    expect((await sut.inquire(sent.reference, { amount: 10_000n, currency: 'EUR' })).kind).toBe(
      'unknown',
    );
  });

  it('reverses (0400) by RRN, also from another instance that never saw the authorization', async () => {
    const sent = request();
    await sut.authorize(sent);
    expect(await sut.reverse(sent.reference)).toEqual({ kind: 'reversed' });
    expect(await recordOf(sent.reference)).toMatchObject({ reversed: true, reversals: 1 });
    const other = request();
    await sut.authorize(other);
    expect(await adapter().reverse(other.reference)).toEqual({ kind: 'reversed' });
    expect(await sut.reverse('never-authorized')).toEqual({ kind: 'not-found' });
  });

  it('captures (0220), refunds and cancels the rest within the authorized amount, idempotently', async () => {
    const sent = request();
    await sut.authorize(sent);
    const op = (reference: string, amount: bigint) => ({
      authorizationReference: sent.reference,
      reference,
      amount,
      currency: 'DKK',
    });
    expect(await sut.captureAuthorization(op('cap-1', 6_000n))).toMatchObject({ kind: 'approved' });
    expect(await sut.captureAuthorization(op('cap-1', 6_000n))).toMatchObject({ kind: 'approved' });
    expect(await sut.captureAuthorization(op('cap-2', 5_000n))).toMatchObject({ kind: 'declined' });
    expect(await sut.refundAuthorization(op('ref-1', 2_000n))).toMatchObject({ kind: 'approved' });
    expect(await sut.refundAuthorization(op('ref-2', 5_000n))).toMatchObject({ kind: 'declined' });
    expect(await sut.cancelAuthorization(op('can-1', 4_000n))).toMatchObject({ kind: 'approved' });
    expect(await sut.captureAuthorization(op('cap-3', 1n))).toMatchObject({ kind: 'declined' });
    expect(await recordOf(sent.reference)).toMatchObject({
      captures: [{ id: 'cap-1', amount: 6_000 }],
      refunds: [{ id: 'ref-1', amount: 2_000 }],
      releases: [{ id: 'can-1', amount: 4_000 }],
    });
  });

  it('returns not-sent when the connection is refused, and unknown for an inquiry then', async () => {
    // A port nothing listens on, below the ephemeral range: a closed ephemeral (listen(0)) port can
    // be taken again at once by any outbound connection, which would then accept the connect.
    const refused = adapter({ port: await freePort() });
    const result = await refused.authorize(request());
    expect(result).toEqual({ kind: 'not-sent', error: expect.stringContaining('ECONNREFUSED') });
    expect((await refused.inquire('x', { amount: 1n, currency: 'DKK' })).kind).toBe('unknown');
  });

  it('keeps the behaviour until deleted unless limited, and validates it', async () => {
    expect((await behave({ mode: 'sideways' })).status).toBe(400);
    expect((await behave({ delayMs: 50 })).body).toEqual({
      mode: 'normal',
      delayMs: 50,
      times: null,
    });
    const started = Date.now();
    await sut.authorize(request());
    await sut.authorize(request());
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    await sleep(0);
  });
});
