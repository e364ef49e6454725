import type { RunningSandbox } from '../../apps/sandbox/src/sandbox.bootstrap';
import {
  merchantRequest,
  onboard,
  OTHER_CLIENT,
  paymentRequest,
  rsaKeyPair,
  SandboxClient,
  startTestSandbox,
} from './helpers/sandbox-harness';

describe('sandbox: MobilePay Online API (merchants, payments)', () => {
  let sandbox: RunningSandbox;
  let client: SandboxClient;
  let merchantId: string;
  const callbackBase = 'http://127.0.0.1:9';

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    client = new SandboxClient(sandbox.url);
    merchantId = await onboard(client, rsaKeyPair().publicKeyPem);
  });

  afterAll(() => sandbox.close());

  it('answers /health', async () => {
    expect((await client.call('GET', '/health')).status).toBe(200);
  });

  it('rejects calls without valid client credentials with 401', async () => {
    const missing = await client.call('GET', '/api/v1/merchants');
    const wrong = await client
      .as({ id: 'sandbox-client-id', secret: 'nope' })
      .api('GET', '/api/v1/merchants');
    expect(missing).toMatchObject({ status: 401, body: { code: '401' } });
    expect(wrong).toMatchObject({ status: 401, body: { code: '401' } });
  });

  it('onboards merchants idempotently per externalId and lists, gets and deletes them', async () => {
    const first = await client.api('POST', '/api/v1/merchants', merchantRequest('ext-1'));
    const again = await client.api('POST', '/api/v1/merchants', merchantRequest('ext-1'));
    expect(first.status).toBe(200);
    expect(first.body.merchantId).toMatch(/^[0-9a-f-]{36}$/);
    expect(again.body.merchantId).toBe(first.body.merchantId);

    const got = await client.api('GET', `/api/v1/merchants/${first.body.merchantId}`);
    expect(got.body).toMatchObject({ merchantId: first.body.merchantId, externalId: 'ext-1' });
    const list = await client.api('GET', '/api/v1/merchants');
    expect((list.body.merchants as { externalId: string }[]).map((m) => m.externalId)).toContain(
      'ext-1',
    );

    const deleted = await client.api('DELETE', `/api/v1/merchants/${first.body.merchantId}`);
    expect(deleted.status).toBe(204);
    const other = await client.as(OTHER_CLIENT).api('GET', `/api/v1/merchants/${merchantId}`);
    expect(other).toMatchObject({ status: 409, body: { code: '2010' } });
  });

  it('rejects a merchant body that breaks the schema with 400 and the errors', async () => {
    const reply = await client.api('POST', '/api/v1/merchants', { externalId: 'x' });
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('400');
    expect(reply.body.errors.length).toBeGreaterThan(0);
  });

  it('initiates a payment, idempotently per pspReferenceId, and reports it on GET v3', async () => {
    const request = paymentRequest(merchantId, callbackBase, { currencyCode: '208' });
    const created = await client.api('POST', '/api/v3/payments', request);
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      paymentId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      redirectToMobilePayUrl: expect.stringContaining(String(created.body.paymentId)),
      redirectToMobilePayAppUrl: expect.stringContaining(String(created.body.paymentId)),
    });
    const replay = await client.api('POST', '/api/v3/payments', request);
    expect(replay.body.paymentId).toBe(created.body.paymentId);

    const details = await client.api('GET', `/api/v3/payments/${created.body.paymentId}`);
    expect(details.body).toMatchObject({
      merchantId,
      amount: 12_995,
      currencyCode: 'DKK',
      pspReferenceId: request.pspReferenceId,
      publicKeyId: 263012,
      status: 'INITIATED',
    });
    const foreign = await client
      .as(OTHER_CLIENT)
      .api('GET', `/api/v3/payments/${created.body.paymentId}`);
    expect(foreign).toMatchObject({ status: 409, body: { code: '2200' } });
  });

  it.each([
    ['2030', { allowedCardTypes: [] }],
    [
      '2040',
      { allowedCardTypes: [{ name: 'MTRO-DEBIT', encryptedPanCallbackUrl: 'https://psp/cb' }] },
    ],
    ['2050', { currencyCode: 'XXX' }],
    ['2070', { publicKeyId: 999 }],
  ])('answers 409 %s for a payment that breaks the rule', async (code, overrides) => {
    const reply = await client.api(
      'POST',
      '/api/v3/payments',
      paymentRequest(merchantId, callbackBase, overrides),
    );
    expect(reply).toMatchObject({ status: 409, body: { code, message: expect.any(String) } });
    expect(reply.body.correlationId).toEqual(expect.any(String));
  });

  it('answers 2000 / 2010 / 2020 for unknown, foreign and deleted merchants', async () => {
    const unknown = paymentRequest('5b1e2f0c-7d6a-4c1b-9a59-0c1f6a3b8e11', callbackBase);
    expect((await client.api('POST', '/api/v3/payments', unknown)).body.code).toBe('2000');

    const foreign = await client
      .as(OTHER_CLIENT)
      .api('POST', '/api/v3/payments', paymentRequest(merchantId, callbackBase));
    expect(foreign).toMatchObject({ status: 409, body: { code: '2010' } });

    const gone = await client.api('POST', '/api/v1/merchants', merchantRequest('to-delete'));
    await client.api('DELETE', `/api/v1/merchants/${gone.body.merchantId}`);
    const deleted = await client.api(
      'POST',
      '/api/v3/payments',
      paymentRequest(String(gone.body.merchantId), callbackBase),
    );
    expect(deleted).toMatchObject({ status: 409, body: { code: '2020' } });
  });

  it('validates the payment body against InitiatePaymentV3Request', async () => {
    const { amount: _amount, ...withoutAmount } = paymentRequest(merchantId, callbackBase);
    const missing = await client.api('POST', '/api/v3/payments', withoutAmount);
    const extra = await client.api('POST', '/api/v3/payments', {
      ...withoutAmount,
      amount: 1,
      bogus: true,
    });
    const nullable = await client.api('POST', '/api/v3/payments', {
      ...paymentRequest(merchantId, callbackBase),
      failedPaymentCallbackUrl: null,
    });
    expect(missing).toMatchObject({ status: 400, body: { code: '400' } });
    expect(extra).toMatchObject({ status: 400, body: { code: '400' } });
    expect(nullable.status).toBe(200);
  });

  it('accepts plain http callbacks only to local hosts', async () => {
    const remote = paymentRequest(merchantId, 'http://psp.example.com');
    expect((await client.api('POST', '/api/v3/payments', remote)).status).toBe(400);
    const tls = paymentRequest(merchantId, 'https://psp.example.com');
    expect((await client.api('POST', '/api/v3/payments', tls)).status).toBe(200);
  });

  it('stops request fishing: a fourth pspReferenceId for one order is refused with 2060', async () => {
    const order = { merchantOrderId: `fish-${Date.now()}` };
    const ids: string[] = [];
    for (const ref of ['a', 'b', 'c']) {
      const reply = await client.api(
        'POST',
        '/api/v3/payments',
        paymentRequest(merchantId, callbackBase, { ...order, pspReferenceId: `fish-${ref}` }),
      );
      expect(reply.status).toBe(200);
      ids.push(String(reply.body.paymentId));
    }
    const fourth = await client.api(
      'POST',
      '/api/v3/payments',
      paymentRequest(merchantId, callbackBase, { ...order, pspReferenceId: 'fish-d' }),
    );
    expect(fourth).toMatchObject({ status: 409, body: { code: '2060' } });
    const fifth = await client.api(
      'POST',
      '/api/v3/payments',
      paymentRequest(merchantId, callbackBase, { ...order, pspReferenceId: 'fish-e' }),
    );
    expect(fifth.body.code).toBe('2060');
    // A retry of an accepted initiation is still answered idempotently.
    const retry = await client.api(
      'POST',
      '/api/v3/payments',
      paymentRequest(merchantId, callbackBase, { ...order, pspReferenceId: 'fish-a' }),
    );
    expect(retry.body.paymentId).toBe(ids[0]);
  });

  it('rejects public keys that are not RSA ≥ 2048 bits', async () => {
    const small = rsaKeyPair(1024).publicKeyPem;
    const reply = await client.call('POST', '/sandbox/v1/public-keys', {
      publicKeyId: 7,
      publicKeyPem: small,
    });
    const garbage = await client.call('POST', '/sandbox/v1/public-keys', {
      publicKeyId: 7,
      publicKeyPem: 'x',
    });
    expect(reply.status).toBe(400);
    expect(garbage.status).toBe(400);
    const list = await client.call('GET', '/sandbox/v1/public-keys');
    expect(list.body.publicKeyIds).toEqual([263012]);
  });
});
