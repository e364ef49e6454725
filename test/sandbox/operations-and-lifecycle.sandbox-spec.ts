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

describe('sandbox: captures/cancels/refunds, invalidation, expiry', () => {
  const { publicKeyPem } = rsaKeyPair();
  const psp = new CallbackReceiver();
  let sandbox: RunningSandbox;
  let client: SandboxClient;
  let merchantId: string;

  const newPayment = async (overrides: Record<string, unknown> = {}): Promise<string> =>
    (await client.api('POST', '/api/v3/payments', paymentRequest(merchantId, psp.url, overrides)))
      .body.paymentId as string;
  const swipe = async (paymentId: string): Promise<string> =>
    (await client.call('POST', `/sandbox/v1/payments/${paymentId}/swipe`, {})).body
      .authorizationAttemptId as string;
  const patch = (paymentId: string, attemptId: unknown, body: unknown) =>
    client.api(
      'PATCH',
      `/api/v1/payments/${paymentId}/authorizationattempts/${String(attemptId)}`,
      withAcquirerFields(body),
    );
  const authorized = async (): Promise<string> => {
    const paymentId = await newPayment();
    await patch(paymentId, await swipe(paymentId), { succeeded: true });
    return paymentId;
  };
  const report = (
    paymentId: string,
    kind: 'capture' | 'cancel' | 'refund',
    identifier: string,
    amount: number,
  ) =>
    client.api('POST', `/api/v1/payments/${paymentId}/${kind}s`, {
      [`${kind}Identifier`]: identifier,
      amount,
      timestamp: new Date().toISOString(),
    });
  const invalidate = (paymentId: string) =>
    client.api('PUT', `/api/v1/payments/${paymentId}/invalidate`);
  const inspect = async (paymentId: string): Promise<Json> =>
    (await client.call('GET', `/sandbox/v1/payments/${paymentId}`)).body;

  beforeAll(async () => {
    await psp.start();
    sandbox = await startTestSandbox();
    client = new SandboxClient(sandbox.url);
    merchantId = await onboard(client, publicKeyPem);
  });

  afterAll(async () => {
    await sandbox.close();
    await psp.stop();
  });

  it('keeps captures within the authorized amount, idempotently per identifier', async () => {
    const unauthorized = await newPayment();
    expect((await report(unauthorized, 'capture', 'c0', 100)).body.code).toBe('2210');

    const paymentId = await authorized();
    const first = await report(paymentId, 'capture', 'c1', 10_000);
    expect(first).toMatchObject({ status: 200, body: { captureId: expect.any(String) } });
    expect((await report(paymentId, 'capture', 'c1', 10_000)).body.captureId).toBe(
      first.body.captureId,
    );
    expect((await report(paymentId, 'capture', 'c1', 9_000)).body.code).toBe('2250');
    expect((await report(paymentId, 'capture', 'c2', 2_996)).body.code).toBe('2220');
    expect((await report(paymentId, 'capture', 'c2', 2_995)).status).toBe(200);
    expect((await report(paymentId, 'capture', 'c3', 1)).body.code).toBe('2220');
    expect((await inspect(paymentId)).payment).toMatchObject({
      authorizedAmount: 12_995,
      capturedAmount: 12_995,
    });
  });

  it('keeps refunds within the captured amount and cancels within what is left', async () => {
    const paymentId = await authorized();
    expect((await report(paymentId, 'refund', 'r0', 1)).body.code).toBe('2240');
    await report(paymentId, 'capture', 'c1', 5_000);
    expect((await report(paymentId, 'refund', 'r1', 5_001)).body.code).toBe('2240');
    expect((await report(paymentId, 'refund', 'r1', 3_000)).body.refundId).toEqual(
      expect.any(String),
    );
    expect((await report(paymentId, 'refund', 'r2', 2_000)).status).toBe(200);
    expect((await report(paymentId, 'refund', 'r3', 1)).body.code).toBe('2240');
    expect((await report(paymentId, 'cancel', 'x1', 7_996)).body.code).toBe('2230');
    expect((await report(paymentId, 'cancel', 'x1', 7_995)).body.cancelId).toEqual(
      expect.any(String),
    );
    expect((await report(paymentId, 'capture', 'c2', 1)).body.code).toBe('2220');
    expect((await inspect(paymentId)).payment).toMatchObject({
      capturedAmount: 5_000,
      refundedAmount: 5_000,
      cancelledAmount: 7_995,
    });
    const bad = await client.api('POST', `/api/v1/payments/${paymentId}/captures`, { amount: 1 });
    expect(bad).toMatchObject({ status: 400, body: { code: '400' } });
  });

  it('invalidates before any callback, and after a failed attempt', async () => {
    const untouched = await newPayment();
    expect((await invalidate(untouched)).status).toBe(204);
    expect((await inspect(untouched)).payment.status).toBe('INVALIDATED');
    expect(
      (await client.call('POST', `/sandbox/v1/payments/${untouched}/swipe`, {})).body.code,
    ).toBe('2400');

    const failed = await newPayment();
    const attemptId = await swipe(failed);
    await patch(failed, attemptId, {
      succeeded: false,
      reasonCode: 1010,
      reasonMessage: 'invalidated',
    });
    expect((await invalidate(failed)).status).toBe(204);
  });

  it('refuses invalidation with 2101 while an attempt is open or in 3DS, 2100 once authorized', async () => {
    const paymentId = await newPayment();
    const attemptId = await swipe(paymentId);
    expect(await invalidate(paymentId)).toMatchObject({ status: 409, body: { code: '2101' } });
    await patch(paymentId, attemptId, {
      succeeded: false,
      reasonCode: 1008,
      reasonMessage: '3DS',
      threeDSecureUrl: 'https://psp.example/3ds',
    });
    expect((await invalidate(paymentId)).body.code).toBe('2101');
    await patch(paymentId, attemptId, { succeeded: true });
    expect(await invalidate(paymentId)).toMatchObject({ status: 409, body: { code: '2100' } });
  });

  it('expires an unpaid payment and sends the failed-payment callback', async () => {
    // Long enough that creating the payments below never races their expiry on a slow machine.
    const shortLived = await startTestSandbox({ SANDBOX_PAYMENT_TTL_MS: '2500' });
    const local = new SandboxClient(shortLived.url);
    try {
      const localMerchant = await onboard(local, publicKeyPem);
      const create = async (overrides: Record<string, unknown> = {}): Promise<string> =>
        (
          await local.api(
            'POST',
            '/api/v3/payments',
            paymentRequest(localMerchant, psp.url, overrides),
          )
        ).body.paymentId as string;
      const view = async (id: string): Promise<Json> =>
        (await local.call('GET', `/sandbox/v1/payments/${id}`)).body;
      // Authorized first, so its card callback cannot take the scripted 500.
      const paid = await create();
      const swiped = await local.call('POST', `/sandbox/v1/payments/${paid}/swipe`, {});
      await local.api(
        'PATCH',
        `/api/v1/payments/${paid}/authorizationattempts/${swiped.body.authorizationAttemptId}`,
        {
          succeeded: true,
        },
      );
      psp.respondWith(500);
      const failedUrl = `${psp.url}/callbacks/failed`;
      const expiring = await create({ failedPaymentCallbackUrl: failedUrl });
      const quiet = await create();

      // Until the failed callback has ended (acked or given up) and the quiet payment expired too.
      await eventually(
        async () => ({ expiring: await view(expiring), quiet: await view(quiet) }),
        (v) =>
          ['acked', 'failed'].includes(String(v.expiring.payment.failedCallback?.status)) &&
          v.quiet.payment.status !== 'INITIATED',
        15_000,
      );
      expect((await view(expiring)).payment).toMatchObject({
        status: 'EXPIRED',
        failedCallback: { status: 'acked', deliveries: [{ status: 500 }, { status: 200 }] },
      });
      expect((await view(quiet)).payment.status).toBe('EXPIRED');
      expect((await view(paid)).payment.status).toBe('AUTHORIZED');
      const callbacks = psp.on('/callbacks/failed');
      expect(callbacks).toHaveLength(2);
      expect(callbacks[1].raw).toBe(
        `{"Code":"100","Reason":"Payment expired","PaymentId":"${expiring}"}`,
      );
      expect(
        (await local.call('POST', `/sandbox/v1/payments/${expiring}/swipe`, {})).body.code,
      ).toBe('2400');
    } finally {
      await shortLived.close();
    }
  }, 30_000);

  it('resets all state but keeps the public keys', async () => {
    const paymentId = await newPayment();
    expect((await client.call('POST', '/sandbox/v1/reset')).status).toBe(204);
    expect((await client.call('GET', `/sandbox/v1/payments/${paymentId}`)).status).toBe(409);
    expect((await client.call('GET', '/sandbox/v1/events')).body).toEqual([]);
    expect((await client.call('GET', '/sandbox/v1/public-keys')).body.publicKeyIds).toEqual([
      263012,
    ]);
  });
});
