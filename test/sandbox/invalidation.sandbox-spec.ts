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

const REJECTED_FOR_INVALIDATE = {
  succeeded: false,
  reasonCode: 1010,
  reasonMessage: 'RejectedForInvalidatePayment',
};

describe('sandbox: invalidation rules of the guide', () => {
  const psp = new CallbackReceiver();
  let sandbox: RunningSandbox;
  let flow: PspFlow;

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

  it('before any callback: 204, no callback ever, and a later swipe is refused with 2400', async () => {
    const paymentId = await flow.newPayment({
      failedPaymentCallbackUrl: `${psp.url}/callbacks/failed`,
      allowedCardTypes: flow.tokenizedCardTypes(),
    });
    expect((await flow.invalidate(paymentId)).status).toBe(204);
    expect((await flow.invalidate(paymentId)).status).toBe(204);
    const swipe = await flow.swipe(paymentId, { cardType: 'VISA-CREDIT' });
    expect(swipe).toMatchObject({ status: 409, body: { code: '2400' } });
    const tester = await flow.client.call(
      'POST',
      `/api/v1/product/payments/simulation/enter-phone-and-swipe/${paymentId}`,
      { phoneNumber: '004512345678' },
    );
    expect(tester.body.code).toBe('2400');
    await sleep(200);
    expect(flow.callbacksOf(paymentId)).toEqual([]);
    expect(await flow.inspect(paymentId)).toMatchObject({
      payment: { status: 'INVALIDATED' },
      attempts: [],
    });
  });

  it('after a callback without a final PATCH: 2101; after PATCH 1010: 204', async () => {
    const paymentId = await flow.newPayment();
    const { authorizationAttemptId } = (await flow.swipe(paymentId)).body;
    expect(await flow.invalidate(paymentId)).toMatchObject({
      status: 409,
      body: {
        code: '2101',
        message: expect.stringContaining('not yet been patched'),
        correlationId: expect.any(String),
      },
    });
    expect(
      (await flow.patch(paymentId, authorizationAttemptId, REJECTED_FOR_INVALIDATE)).status,
    ).toBe(204);
    expect((await flow.invalidate(paymentId)).status).toBe(204);
    expect((await flow.inspect(paymentId)).payment.status).toBe('INVALIDATED');
    expect((await flow.swipe(paymentId)).body.code).toBe('2400');
  });

  it('after a token callback without a final PATCH: 2101, like card data', async () => {
    const paymentId = await flow.newPayment({ allowedCardTypes: flow.tokenizedCardTypes() });
    const swipe = await flow.swipe(paymentId, { cardType: 'MC-CREDIT' });
    expect(swipe.body.callbackKind).toBe('token');
    expect((await flow.invalidate(paymentId)).body.code).toBe('2101');
  });

  it('while the callback is still being retried: 2101', async () => {
    const paymentId = await flow.newPayment();
    psp.respondWith(500, 500, 500);
    const swiping = flow.swipe(paymentId);
    await sleep(50);
    expect((await flow.invalidate(paymentId)).body.code).toBe('2101');
    expect((await swiping).body.callbackStatus).toBe('acked');
  });

  it('during 3DS (after 1008): 2101, then 1010 → 204', async () => {
    const paymentId = await flow.newPayment();
    const { authorizationAttemptId } = (await flow.swipe(paymentId)).body;
    await flow.patch(paymentId, authorizationAttemptId, {
      succeeded: false,
      reasonCode: 1008,
      reasonMessage: '3DS required',
      threeDSecureUrl: 'https://psp.example/3ds',
    });
    expect((await flow.invalidate(paymentId)).body.code).toBe('2101');
    await flow.patch(paymentId, authorizationAttemptId, REJECTED_FOR_INVALIDATE);
    expect((await flow.invalidate(paymentId)).status).toBe(204);
  });

  it('after a successful PATCH: 2100, and the payment stays authorized', async () => {
    const paymentId = await flow.newPayment();
    const { authorizationAttemptId } = (await flow.swipe(paymentId)).body;
    await flow.patch(paymentId, authorizationAttemptId, { succeeded: true });
    expect(await flow.invalidate(paymentId)).toMatchObject({
      status: 409,
      body: {
        code: '2100',
        message: "Can't invalidate payment with completed authorization attempt",
      },
    });
    expect((await flow.inspect(paymentId)).payment.status).toBe('AUTHORIZED');
  });
});
