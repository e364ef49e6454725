import type { RunningSandbox } from '../../apps/sandbox/src/sandbox.bootstrap';
import { CallbackReceiver } from './helpers/callback-receiver';
import { PspFlow } from './helpers/psp-flow';
import {
  onboard,
  rsaKeyPair,
  SandboxClient,
  sleep,
  startTestSandbox,
} from './helpers/sandbox-harness';

describe('sandbox: the user rejects, the payment expires', () => {
  const psp = new CallbackReceiver();
  let sandbox: RunningSandbox;
  let flow: PspFlow;
  const failedUrl = () => `${psp.url}/callbacks/failed`;

  beforeAll(async () => {
    await psp.start();
    sandbox = await startTestSandbox();
    const client = new SandboxClient(sandbox.url);
    flow = new PspFlow(client, await onboard(client, rsaKeyPair().publicKeyPem), psp);
  });

  afterAll(async () => {
    await sandbox.close();
    await psp.stop();
  });

  beforeEach(() => psp.respondWith());

  it('rejects without any callback, not even the failed callback', async () => {
    const paymentId = await flow.newPayment({ failedPaymentCallbackUrl: failedUrl() });
    const rejected = await flow.userAction(paymentId, 'reject');
    expect(rejected).toMatchObject({ status: 200, body: { paymentId, status: 'REJECTED' } });
    await sleep(200);
    expect(flow.callbacksOf(paymentId)).toEqual([]);
    expect((await flow.swipe(paymentId)).body.code).toBe('2400');
    expect((await flow.userAction(paymentId, 'expire')).body.code).toBe('2400');
    expect((await flow.userAction(paymentId, 'reject')).body.code).toBe('2400');
    const view = await flow.inspect(paymentId);
    expect(view.payment).toMatchObject({ status: 'REJECTED', failedCallback: null });
    const details = await flow.client.api('GET', `/api/v3/payments/${paymentId}`);
    expect(details.body.status).toBe('REJECTED');
  });

  it('lets the user reject after a declined attempt, not while one awaits its PATCH', async () => {
    const paymentId = await flow.newPayment();
    const { authorizationAttemptId } = (await flow.swipe(paymentId)).body;
    expect(await flow.userAction(paymentId, 'reject')).toMatchObject({
      status: 409,
      body: { code: '2410' },
    });
    await flow.patch(paymentId, authorizationAttemptId, {
      succeeded: false,
      reasonCode: 1001,
      reasonMessage: 'insufficient funds',
    });
    expect((await flow.userAction(paymentId, 'reject')).body.status).toBe('REJECTED');
    expect(
      (await flow.userAction('0b7e3c52-3f7e-4a8e-9b53-2d6f8a1c9e00', 'reject')).body.code,
    ).toBe('2200');
  });

  it('expires on demand and delivers the failed callback before answering', async () => {
    const paymentId = await flow.newPayment({ failedPaymentCallbackUrl: failedUrl() });
    psp.respondWith(503);
    const expired = await flow.userAction(paymentId, 'expire');
    expect(expired).toMatchObject({
      status: 200,
      body: {
        paymentId,
        status: 'EXPIRED',
        failedCallback: { status: 'acked', deliveries: [{ status: 503 }, { status: 200 }] },
      },
    });
    const callbacks = flow.callbacksOf(paymentId);
    expect(callbacks.map((c) => c.path)).toEqual(['/callbacks/failed', '/callbacks/failed']);
    expect(callbacks[1].raw).toBe(
      `{"Code":"100","Reason":"Payment expired","PaymentId":"${paymentId}"}`,
    );
    expect((await flow.swipe(paymentId)).body.code).toBe('2400');
  });

  it('expires quietly without a failedPaymentCallbackUrl, and not while an attempt is open', async () => {
    const quiet = await flow.newPayment();
    expect((await flow.userAction(quiet, 'expire')).body).toMatchObject({
      status: 'EXPIRED',
      failedCallback: null,
    });
    expect(flow.callbacksOf(quiet)).toEqual([]);

    const busy = await flow.newPayment({ failedPaymentCallbackUrl: failedUrl() });
    const { authorizationAttemptId } = (await flow.swipe(busy)).body;
    expect((await flow.userAction(busy, 'expire')).body.code).toBe('2410');
    await flow.patch(busy, authorizationAttemptId, { succeeded: true });
    expect((await flow.userAction(busy, 'expire')).body.code).toBe('2400');
    expect(flow.callbacksOf(busy).map((c) => c.path)).toEqual(['/callbacks/card/DANKORT']);
  });
});
