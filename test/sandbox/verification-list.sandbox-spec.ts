import type { RunningSandbox } from '../../apps/sandbox/src/sandbox.bootstrap';
import { MiniPsp } from './helpers/mini-psp';
import { reasonCodes } from './helpers/psp-flow';
import {
  type Json,
  merchantRequest,
  onboard,
  paymentRequest,
  rsaKeyPair,
  SandboxClient,
  sleep,
  startTestSandbox,
} from './helpers/sandbox-harness';

const CARD_TYPES = ['DANKORT', 'VISA-DEBIT', 'VISA-CREDIT', 'MC-DEBIT', 'MC-CREDIT', 'ELEC-DEBIT'];

/** Every step MobilePay verifies before hidden production, walked with a tiny PSP. */
describe('sandbox: the PSP verification list', () => {
  const { publicKeyPem, privateKey } = rsaKeyPair();
  let sandbox: RunningSandbox;
  let client: SandboxClient;
  let mini: MiniPsp;
  let merchantId: string;

  const initiate = async (overrides: Record<string, unknown> = {}): Promise<Json> => {
    const allowedCardTypes = CARD_TYPES.map((name) => ({
      name,
      encryptedPanCallbackUrl: `${mini.url}/card/${name}`,
      ...(name === 'DANKORT' ? {} : { tokenCallbackUrl: `${mini.url}/token/${name}` }),
    }));
    const request = paymentRequest(merchantId, mini.url, { allowedCardTypes, ...overrides });
    const reply = await client.api('POST', '/api/v3/payments', request);
    expect(reply.status).toBe(200);
    return { ...reply.body, pspReferenceId: request.pspReferenceId };
  };
  const swipe = async (paymentId: string, body: Record<string, unknown>): Promise<string> => {
    const reply = await client.call('POST', `/sandbox/v1/payments/${paymentId}/swipe`, body);
    expect(reply.body.callbackStatus).toBe('acked');
    return reply.body.authorizationAttemptId as string;
  };
  /** Polls the inspection API until the attempt satisfies `done` (the PSP works asynchronously). */
  const attemptOnce = async (
    paymentId: string,
    attemptId: string,
    done: (a: Json) => boolean,
  ): Promise<{ payment: Json; attempt: Json }> => {
    for (let i = 0; i < 100; i++) {
      const view = (await client.call('GET', `/sandbox/v1/payments/${paymentId}`)).body;
      const attempts = view.attempts as { authorizationAttemptId: string }[];
      const attempt = attempts.find((a) => a.authorizationAttemptId === attemptId);
      if (attempt && done(attempt)) return { payment: view.payment, attempt };
      await sleep(50);
    }
    throw new Error(`attempt ${attemptId} never got there`);
  };
  const final = (paymentId: string, attemptId: string) =>
    attemptOnce(paymentId, attemptId, (a) => a.final !== null);
  const acquirerRecord = async (reference: string): Promise<Json> => {
    const records = (await client.call('GET', '/acquirer/v1/_records')).body as {
      reference: string;
    }[];
    return records.find((r) => r.reference === reference);
  };
  const authorizedPayment = async (body: Record<string, unknown> = {}) => {
    const paymentId = (await initiate()).paymentId as string;
    const attemptId = await swipe(paymentId, body);
    return { paymentId, attemptId, ...(await final(paymentId, attemptId)) };
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    client = new SandboxClient(sandbox.url);
    mini = await new MiniPsp(client, privateKey).start();
    merchantId = await onboard(client, publicKeyPem);
  });

  afterAll(async () => {
    await sandbox.close();
    await mini.stop();
  });

  afterEach(() => expect(mini.errors).toEqual([]));

  it('1–2. creates a merchant (externalId) and deletes a merchant (merchantId)', async () => {
    const created = await client.api('POST', '/api/v1/merchants', merchantRequest('verify-ext-1'));
    expect(created).toMatchObject({ status: 200, body: { merchantId: expect.any(String) } });
    const deleted = await client.api('DELETE', `/api/v1/merchants/${created.body.merchantId}`);
    expect(deleted.status).toBe(204);
  });

  it('3, 9. initiates a payment (pspReferenceId) and hands out the app-switch URL', async () => {
    const payment = await initiate();
    expect(payment.redirectToMobilePayAppUrl).toBe(
      `mobilepayonline://online?paymentid=${payment.paymentId}`,
    );
    const details = await client.api('GET', `/api/v3/payments/${payment.paymentId}`);
    expect(details.body).toMatchObject({
      pspReferenceId: payment.pspReferenceId,
      status: 'INITIATED',
    });
  });

  it('4, 10, 13. Dankort card-data callback, delegated authentication, PATCH succeeded:true', async () => {
    const { paymentId, attemptId, payment, attempt } = await authorizedPayment({
      cardType: 'DANKORT',
    });
    expect(
      mini.received.some((r) => r.path === '/card/DANKORT' && r.body.PaymentId === paymentId),
    ).toBe(true);
    expect(attempt).toMatchObject({ callbackKind: 'card-data', final: { succeeded: true } });
    expect(payment.status).toBe('AUTHORIZED');
    expect(await acquirerRecord(attemptId)).toMatchObject({
      cardKind: 'pan',
      posCode: 'K005K0K00130',
      delegatedAuthentication: true,
    });
  });

  it('5. PATCH succeeded:false with a meaningful reason code for a declined card', async () => {
    const { attempt, payment } = await authorizedPayment({
      cardNumber: '4000000000009995',
      tokenize: false,
    });
    expect(attempt.final).toEqual({ succeeded: false, reasonCode: 1001 });
    expect(attempt.patches[0].body).toMatchObject({
      succeeded: false,
      reasonMessage: 'INSUFFICIENT_FUNDS',
    });
    expect(payment.status).toBe('INITIATED');
  });

  it('6–8. capture, cancel and refund', async () => {
    const { paymentId } = await authorizedPayment({ cardType: 'DANKORT' });
    const report = (kind: string, amount: number) =>
      client.api('POST', `/api/v1/payments/${paymentId}/${kind}s`, {
        [`${kind}Identifier`]: `${kind}-1`,
        amount,
        timestamp: new Date().toISOString(),
      });
    expect((await report('capture', 10_000)).body.captureId).toEqual(expect.any(String));
    expect((await report('cancel', 2_995)).body.cancelId).toEqual(expect.any(String));
    expect((await report('refund', 4_000)).body.refundId).toEqual(expect.any(String));
    const view = (await client.call('GET', `/sandbox/v1/payments/${paymentId}`)).body;
    expect(view.payment).toMatchObject({
      capturedAmount: 10_000,
      cancelledAmount: 2_995,
      refundedAmount: 4_000,
    });
  });

  it('11. failed payment callback when the payment expires', async () => {
    const { paymentId } = await initiate({ failedPaymentCallbackUrl: `${mini.url}/failed` });
    expect(
      (await client.call('POST', `/sandbox/v1/payments/${paymentId}/expire`)).body.status,
    ).toBe('EXPIRED');
    const callback = mini.received.find(
      (r) => r.path === '/failed' && r.body.PaymentId === paymentId,
    );
    expect(callback?.body).toEqual({
      Code: '100',
      Reason: 'Payment expired',
      PaymentId: paymentId,
    });
  });

  it.each([
    ['VISA-CREDIT', 'VTS'],
    ['MC-CREDIT', 'MC S4C'],
  ])('12. tokenized %s is authorized with its %s token', async (cardType, tokenMethod) => {
    const { attemptId, attempt, payment } = await authorizedPayment({ cardType });
    expect(attempt).toMatchObject({
      callbackKind: 'token',
      token: { tokenMethod },
      final: { succeeded: true },
    });
    expect(payment.status).toBe('AUTHORIZED');
    expect((await acquirerRecord(attemptId)).cardKind).toBe('network-token');
  });

  it('14. 3DS: PATCH 1008 → web view → 1009 → done3ds.html → authorized', async () => {
    const paymentId = (await initiate()).paymentId as string;
    const attemptId = await swipe(paymentId, { cardNumber: '4000000000003220' });
    const challenged = await attemptOnce(paymentId, attemptId, (a) => a.state === 'three-ds');
    expect(challenged.attempt.callbackKind).toBe('token');
    const opened = await client.call('POST', `/sandbox/v1/attempts/${attemptId}/open-3ds`);
    expect(opened.body.threeDs).toMatchObject({ opened: true, landedOnDone3ds: true });
    const { attempt, payment } = await final(paymentId, attemptId);
    expect(reasonCodes(attempt)).toEqual([1008, 1009, null]);
    expect(payment.status).toBe('AUTHORIZED');
    expect(await acquirerRecord(`${attemptId}-3ds`)).toMatchObject({
      threeDS: true,
      status: 'APPROVED',
    });
  });
});
