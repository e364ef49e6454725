import { eventually } from '../support/eventually';
import type { RunningSandbox } from '../../apps/sandbox/src/sandbox.bootstrap';
import { CallbackReceiver } from './helpers/callback-receiver';
import {
  onboard,
  paymentRequest,
  rsaKeyPair,
  type Json,
  SandboxClient,
  startTestSandbox,
  withAcquirerFields,
} from './helpers/sandbox-harness';

const PLAINTEXT =
  /^\{"timestampticks":(\d+),"encryptedCardData":\{"cardNumber":(\d+),"expiryMonth":(\d+),"expiryYear":(\d+)\}\}$/;
const nowTicks = () => BigInt(Date.now()) * 10_000n + 621_355_968_000_000_000n;

describe('sandbox: swipe, card-data callback and PATCH rules', () => {
  const { publicKeyPem, privateKey } = rsaKeyPair();
  const psp = new CallbackReceiver(privateKey);
  let sandbox: RunningSandbox;
  let client: SandboxClient;
  let merchantId: string;

  const newPayment = async (overrides: Record<string, unknown> = {}): Promise<string> => {
    const reply = await client.api(
      'POST',
      '/api/v3/payments',
      paymentRequest(merchantId, psp.url, overrides),
    );
    expect(reply.status).toBe(200);
    return reply.body.paymentId as string;
  };
  const enterPhoneAndSwipe = (
    paymentId: string,
    body: Record<string, unknown> = { phoneNumber: '004512345678' },
  ) =>
    client.call(
      'POST',
      `/api/v1/product/payments/simulation/enter-phone-and-swipe/${paymentId}`,
      body,
    );
  const patchAsIs = (paymentId: string, attemptId: unknown, body: unknown) =>
    client.api(
      'PATCH',
      `/api/v1/payments/${paymentId}/authorizationattempts/${String(attemptId)}`,
      body,
    );
  const patch = (paymentId: string, attemptId: unknown, body: unknown) =>
    patchAsIs(paymentId, attemptId, withAcquirerFields(body));
  const inspect = async (paymentId: string): Promise<Json> =>
    (await client.call('GET', `/sandbox/v1/payments/${paymentId}`)).body;

  beforeAll(async () => {
    await psp.start();
    // The default (long) PATCH deadline: multi-call tests must not race it on a slow machine.
    sandbox = await startTestSandbox();
    client = new SandboxClient(sandbox.url);
    merchantId = await onboard(client, publicKeyPem);
  });

  afterAll(async () => {
    await sandbox.close();
    await psp.stop();
  });

  beforeEach(() => psp.respondWith());

  it('delivers an OAEP-encrypted card-data callback in the guide format', async () => {
    const paymentId = await newPayment();
    const before = nowTicks();
    const swipe = await enterPhoneAndSwipe(paymentId);
    expect(swipe.status).toBe(200);
    expect(swipe.body).toMatchObject({ callbackStatus: 'acked', cardType: 'DANKORT' });

    const [callback] = psp
      .on('/callbacks/card/DANKORT')
      .filter((c) => c.body.PaymentId === paymentId);
    expect(Object.keys(callback.body)).toEqual([
      'EncryptedCardData',
      'PaymentId',
      'AuthorizationAttemptId',
      'PublicKeyId',
      'CardType',
    ]);
    expect(callback.body).toMatchObject({
      PaymentId: paymentId,
      AuthorizationAttemptId: swipe.body.authorizationAttemptId,
      PublicKeyId: 263012,
      CardType: 'DANKORT',
    });
    expect(callback.headers.correlationid).toEqual(expect.any(String));

    const [, ticks, pan, month, year] = psp.decrypt(callback).match(PLAINTEXT) ?? [];
    expect(pan).toBe('5019717010103742');
    expect(BigInt(ticks)).toBeGreaterThanOrEqual(before);
    expect(BigInt(ticks)).toBeLessThanOrEqual(nowTicks());
    expect(Number(month)).toBe(12);
    expect(Number(year)).toBeLessThan(100);
  });

  it('keeps every digit of a 19-digit PAN and of given ticks, and picks by lastFourDigits', async () => {
    const paymentId = await newPayment();
    const swipe = await client.call('POST', `/sandbox/v1/payments/${paymentId}/swipe`, {
      cardNumber: '4000000000000000006',
      timestampTicks: '638500000000000001',
    });
    expect(swipe.body.callbackStatus).toBe('acked');
    const callback = psp.received.find(
      (c) => c.body.AuthorizationAttemptId === swipe.body.authorizationAttemptId,
    )!;
    expect(psp.decrypt(callback)).toMatch(
      /"timestampticks":638500000000000001,.*"cardNumber":4000000000000000006,/,
    );

    const other = await newPayment({
      allowedCardTypes: [{ name: 'VISA-CREDIT', encryptedPanCallbackUrl: `${psp.url}/cb/visa` }],
    });
    const byLastFour = await enterPhoneAndSwipe(other, {
      phoneNumber: '004512345678',
      lastFourDigits: '0002',
    });
    expect(byLastFour.body).toMatchObject({
      cardType: 'VISA-CREDIT',
      maskedCardNumber: '400000******0002',
    });
  });

  it('retries a callback answered 500 until the PSP acks it', async () => {
    const paymentId = await newPayment();
    psp.respondWith(500, 503);
    const swipe = await enterPhoneAndSwipe(paymentId);
    expect(swipe.body).toMatchObject({ callbackStatus: 'acked', deliveries: 3 });
    const { attempts } = await inspect(paymentId);
    expect((attempts[0].deliveries as { status: number }[]).map((d) => d.status)).toEqual([
      500, 503, 200,
    ]);
    const bodies = psp.received.filter((c) => c.body.PaymentId === paymentId).map((c) => c.raw);
    expect(new Set(bodies).size).toBe(1);
  });

  it('gives up after the retry window, and the user may swipe again', async () => {
    const paymentId = await newPayment();
    psp.respondWith(...Array<number>(50).fill(500));
    const failed = await enterPhoneAndSwipe(paymentId);
    expect(failed.body.callbackStatus).toBe('failed');
    // Retried, not given up after one try (how many fit the window depends on the machine's speed).
    expect(failed.body.deliveries).toBeGreaterThanOrEqual(2);
    const { attempts } = await inspect(paymentId);
    expect(new Set((attempts[0].deliveries as { status: number }[]).map((d) => d.status))).toEqual(
      new Set([500]),
    );
    psp.respondWith();
    const retry = await enterPhoneAndSwipe(paymentId);
    expect(retry.body.callbackStatus).toBe('acked');
    expect(retry.body.authorizationAttemptId).not.toBe(failed.body.authorizationAttemptId);
    const late = await patch(paymentId, failed.body.authorizationAttemptId, { succeeded: true });
    expect(late).toMatchObject({ status: 409, body: { code: '2330' } });
  });

  it('authorizes on a successful PATCH, accepts the same PATCH again, refuses a different one', async () => {
    const paymentId = await newPayment();
    const { authorizationAttemptId } = (await enterPhoneAndSwipe(paymentId)).body;
    expect((await enterPhoneAndSwipe(paymentId)).body.code).toBe('2410');
    expect((await patch(paymentId, authorizationAttemptId, { succeeded: true })).status).toBe(204);
    expect((await patch(paymentId, authorizationAttemptId, { succeeded: true })).status).toBe(204);
    const contradicting = await patch(paymentId, authorizationAttemptId, {
      succeeded: false,
      reasonCode: 1000,
      reasonMessage: 'rejected',
    });
    expect(contradicting).toMatchObject({ status: 409, body: { code: '2310' } });

    const view = await inspect(paymentId);
    expect(view.payment).toMatchObject({ status: 'AUTHORIZED', authorizedAmount: 12_995 });
    expect(view.attempts[0]).toMatchObject({ final: { succeeded: true }, late: false });
    expect(view.attempts[0].patches).toHaveLength(3);
    expect((await enterPhoneAndSwipe(paymentId)).body.code).toBe('2400');
  });

  it('validates PATCH bodies: reasons on failure, threeDSecureUrl with 1008, known attempt', async () => {
    const paymentId = await newPayment();
    const { authorizationAttemptId } = (await enterPhoneAndSwipe(paymentId)).body;
    expect((await patch(paymentId, authorizationAttemptId, { succeeded: false })).status).toBe(400);
    const no3ds = await patch(paymentId, authorizationAttemptId, {
      succeeded: false,
      reasonCode: 1008,
      reasonMessage: '3ds',
    });
    expect(no3ds.status).toBe(400);
    // Every code of the 1000 range names the acquirer (acquirerVatNumber and the two ids).
    const anonymous = await patchAsIs(paymentId, authorizationAttemptId, {
      succeeded: false,
      reasonCode: 1001,
      reasonMessage: 'insufficient funds',
      acquirerVatNumber: 'DK12345678',
    });
    expect(anonymous).toMatchObject({ status: 400 });
    expect(JSON.stringify(anonymous.body)).toContain(
      'acquirerMerchantId, acquirerPaymentReference required with reasonCode 1001',
    );
    expect((await patch(paymentId, authorizationAttemptId, { succeeded: 'yes' })).status).toBe(400);
    const unknown = await patch(paymentId, '0b7e3c52-3f7e-4a8e-9b53-2d6f8a1c9e00', {
      succeeded: true,
    });
    expect(unknown).toMatchObject({ status: 409, body: { code: '2300' } });

    const stepUp = await patch(paymentId, authorizationAttemptId, {
      succeeded: false,
      reasonCode: 1008,
      reasonMessage: '3DS required',
      threeDSecureUrl: 'https://psp.example/3ds/1',
    });
    expect(stepUp.status).toBe(204);
    const declined = { succeeded: false, reasonCode: 1001, reasonMessage: 'insufficient funds' };
    expect((await patch(paymentId, authorizationAttemptId, declined)).status).toBe(204);
    expect((await patch(paymentId, authorizationAttemptId, declined)).status).toBe(204);
    expect((await patch(paymentId, authorizationAttemptId, { succeeded: true })).body.code).toBe(
      '2310',
    );
    const view = await inspect(paymentId);
    expect(view.attempts[0]).toMatchObject({
      state: 'failed',
      final: { succeeded: false, reasonCode: 1001 },
    });
    expect(view.payment.status).toBe('INITIATED');
  });

  it('marks a PATCH after the deadline as late and lets the user swipe again', async () => {
    // Its own sandbox: only this test wants a deadline short enough to miss.
    const shortDeadline = await startTestSandbox({ SANDBOX_PATCH_DEADLINE_MS: '800' });
    const local = new SandboxClient(shortDeadline.url);
    try {
      const localMerchant = await onboard(local, publicKeyPem);
      const created = await local.api(
        'POST',
        '/api/v3/payments',
        paymentRequest(localMerchant, psp.url),
      );
      expect(created.status).toBe(200);
      const paymentId = created.body.paymentId as string;
      const swipe = () =>
        local.call(
          'POST',
          `/api/v1/product/payments/simulation/enter-phone-and-swipe/${paymentId}`,
          { phoneNumber: '004512345678' },
        );
      const view = async (): Promise<Json> =>
        (await local.call('GET', `/sandbox/v1/payments/${paymentId}`)).body;
      const { authorizationAttemptId } = (await swipe()).body;
      const missed = await eventually(view, (v) => v.attempts[0].state !== 'awaiting-patch');
      expect(missed.attempts[0]).toMatchObject({
        state: 'deadline-missed',
        final: { succeeded: false },
      });
      const late = await local.api(
        'PATCH',
        `/api/v1/payments/${paymentId}/authorizationattempts/${String(authorizationAttemptId)}`,
        { succeeded: true },
      );
      expect(late).toMatchObject({ status: 409, body: { code: '2320' } });
      const after = await view();
      expect(after.attempts[0]).toMatchObject({ late: true });
      expect(after.attempts[0].patches[0]).toMatchObject({ late: true, status: 409 });
      expect(after.payment.status).toBe('INITIATED');
      expect((await swipe()).body.callbackStatus).toBe('acked');
    } finally {
      await shortDeadline.close();
    }
  }, 30_000);

  it('records events without ever exposing the clear PAN', async () => {
    const paymentId = await newPayment();
    await client.call('POST', `/sandbox/v1/payments/${paymentId}/swipe`, {
      cardNumber: '4111111111111111',
      duplicateDeliveries: 2,
    });
    const view = await inspect(paymentId);
    const text =
      JSON.stringify(view) +
      JSON.stringify((await client.call('GET', `/sandbox/v1/events?paymentId=${paymentId}`)).body);
    expect(text).not.toContain('4111111111111111');
    expect(view.attempts[0].maskedCardNumber).toBe('411111******1111');
    expect(view.attempts[0].deliveries).toHaveLength(3);
    const directions = (view.events as { direction: string }[]).map((e) => e.direction);
    expect(directions).toEqual([
      'psp->mobilepay',
      'mobilepay->psp',
      'mobilepay->psp',
      'mobilepay->psp',
    ]);
  });

  it('refuses an invalid card number unless allowInvalid is set', async () => {
    const paymentId = await newPayment();
    const bad = await client.call('POST', `/sandbox/v1/payments/${paymentId}/swipe`, {
      cardNumber: '4111111111111112',
    });
    expect(bad.status).toBe(400);
    const forced = await client.call('POST', `/sandbox/v1/payments/${paymentId}/swipe`, {
      cardNumber: '4111111111111112',
      allowInvalid: true,
    });
    expect(forced.body.callbackStatus).toBe('acked');
  });

  it('injects API faults: 503s, dropped answers and latency', async () => {
    await client.call('POST', '/sandbox/v1/faults', { apiFailNext: 1, apiDropResponseNext: 1 });
    const request = paymentRequest(merchantId, psp.url);
    expect((await client.api('POST', '/api/v3/payments', request)).status).toBe(503);
    await expect(client.api('POST', '/api/v3/payments', request)).rejects.toThrow();
    const retried = await client.api('POST', '/api/v3/payments', request);
    expect(retried.status).toBe(200);
    const events = (
      await client.call('GET', `/sandbox/v1/events?paymentId=${retried.body.paymentId}`)
    ).body;
    expect((events as { status: number | null }[]).map((e) => e.status)).toEqual([null, 200]);

    await client.call('POST', '/sandbox/v1/faults', { apiLatencyMs: 300 });
    const started = Date.now();
    await client.api('GET', `/api/v3/payments/${retried.body.paymentId}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect((await client.call('DELETE', '/sandbox/v1/faults')).status).toBe(204);
  });
});
