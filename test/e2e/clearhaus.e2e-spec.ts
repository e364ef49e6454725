import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearhausReference } from '../../libs/acquirers/src/clearhaus/clearhaus-authorization-params';
import { http } from '../../scripts/stack/http';
import {
  createPayment,
  onboardMerchant,
  waitForAttempt,
  waitForFinalPatch,
  type DemoMerchant,
  type SandboxAttempt,
} from '../../scripts/stack/scenario';
import type { Stack } from '../../scripts/stack/stack';
import { query, startTestStack } from '../support/e2e-stack';
import { eventually } from '../support/eventually';
import { api } from '../support/merchant-api';

jest.setTimeout(120_000);

const ROUTES = {
  ACQUIRER_ROUTES: 'DANKORT=nets-iso8583,*=clearhaus',
  CLEARHAUS_TIMEOUT_MS: '1500',
};

interface ClearhausRecord {
  id: string;
  reference: string | null;
  amount: number;
  code: number;
  maskedPan: string;
  tokenized: boolean;
  captures: { amount: number }[];
  refunds: { amount: number }[];
  voids: { amount: number }[];
}

interface Records {
  authorizations: ClearhausRecord[];
  requestsByReference: Record<string, number>;
}

describe('Clearhaus: callback → Clearhaus simulator (signed) → PATCH', () => {
  let stack: Stack;
  let merchant: DemoMerchant;

  const records = async () =>
    (await http<Records>('GET', `${stack.urls.sandbox}/clearhaus/_records`)).body;
  const recordOf = async (attemptId: string) =>
    (await records()).authorizations.find((a) => a.reference === clearhausReference(attemptId));
  const fault = (body: Record<string, unknown>) =>
    http('POST', `${stack.urls.sandbox}/clearhaus/_faults`, body);

  /** A payment of `amount` swiped with `cardNumber`, as card data or as a network token. */
  async function pay(cardNumber: string, cardType: string, amount: number, tokenize = false) {
    const payment = await createPayment(stack, merchant, { amount, allowedCardTypes: [cardType] });
    const swiped = await http<{ authorizationAttemptId: string; callbackKind: string }>(
      'POST',
      `${stack.urls.sandbox}/sandbox/v1/payments/${payment.mobilePayPaymentId}/swipe`,
      { cardNumber, tokenize },
    );
    expect(swiped.status).toBe(200);
    expect(swiped.body.callbackKind).toBe(tokenize ? 'token' : 'card-data');
    return { payment, attemptId: swiped.body.authorizationAttemptId };
  }

  beforeAll(async () => {
    stack = await startTestStack({ gateway: ROUTES, worker: ROUTES });
    merchant = await onboardMerchant(stack);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('authorizes card data once, signed, and patches Clearhaus as the acquirer', async () => {
    const { payment, attemptId } = await pay('4111111111111111', 'VISA-CREDIT', 12_995);
    const attempt = await waitForFinalPatch(stack, payment.mobilePayPaymentId, attemptId);
    const record = await recordOf(attemptId);
    expect(record).toMatchObject({
      code: 20000,
      amount: 12_995,
      maskedPan: '411111******1111',
      tokenized: false,
    });
    expect(attempt.final).toMatchObject({ succeeded: true });
    expect(attempt.patches[0].body).toMatchObject({
      succeeded: true,
      acquirerVatNumber: 'DK33749996',
      acquirerPaymentReference: record!.id,
    });
    expect((await records()).requestsByReference[clearhausReference(attemptId)]).toBe(1);
  });

  it.each([
    [40413, 1001],
    [40135, 1003],
    [40414, 1004],
    [40410, 1000],
    [40420, 1005],
    [40000, 2001],
    [50000, 2002],
  ])(
    'status %d (the amount on 420000…0000) is patched as reason code %d',
    async (code, reasonCode) => {
      const { payment, attemptId } = await pay('4200000000000000', 'VISA-CREDIT', code);
      const attempt = await waitForFinalPatch(stack, payment.mobilePayPaymentId, attemptId);
      expect(attempt.final).toMatchObject({ succeeded: false, reasonCode });
      expect(attempt.patches[0].body).toMatchObject({ acquirerVatNumber: 'DK33749996' });
      expect((await recordOf(attemptId))?.code).toBe(code);
    },
  );

  it('40416 "additional authentication required" starts the 3-D Secure fallback (PATCH 1008)', async () => {
    const { payment, attemptId } = await pay('5555555555554444', 'MC-CREDIT', 40_416);
    const attempt = await waitForAttempt(
      stack,
      payment.mobilePayPaymentId,
      attemptId,
      (a) => a.patches.length > 0,
    );
    expect(attempt.patches[0].body).toMatchObject({ succeeded: false, reasonCode: 1008 });
    expect(attempt.patches[0].body.threeDSecureUrl).toContain(`/3ds/${attemptId}`);
  });

  it.each([
    ['VTS', '4111111111111111', 'VISA-CREDIT', 12_995],
    ['MC S4C', '5555555555554444', 'MC-CREDIT', 20_000],
  ])(
    'authorizes a %s token with the whole token callback as payment_token',
    async (_method, pan, cardType, amount) => {
      const { payment, attemptId } = await pay(pan, cardType, amount, true);
      const attempt = await waitForFinalPatch(stack, payment.mobilePayPaymentId, attemptId);
      expect(attempt.final).toMatchObject({ succeeded: true });
      // The simulator refuses a payment_token whose token PAN is not the one authorized.
      expect(await recordOf(attemptId)).toMatchObject({ code: 20000, tokenized: true });
    },
  );

  it('captures partly and repeatedly, refunds, and voids by the Clearhaus authorization id', async () => {
    const captured = await authorizedPayment(12_995);
    const operate = (paymentId: string, kind: string, body: unknown = {}) =>
      api<{ status: string; code?: string }>(
        stack,
        merchant.apiKey,
        'POST',
        `/v1/payments/${paymentId}/${kind}`,
        body,
      );
    expect((await operate(captured.paymentId, 'captures', { amount: 5_000 })).status).toBe(201);
    expect((await operate(captured.paymentId, 'captures', { amount: 2_000 })).status).toBe(201);
    expect((await operate(captured.paymentId, 'refunds', { amount: 6_000 })).status).toBe(201);
    expect(await recordOf(captured.attemptId)).toMatchObject({
      captures: [{ amount: 5_000 }, { amount: 2_000 }],
      refunds: [{ amount: 6_000 }],
    });
    const voided = await authorizedPayment(4_000);
    expect((await operate(voided.paymentId, 'cancels')).status).toBe(201);
    expect((await recordOf(voided.attemptId))?.voids).toEqual([
      expect.objectContaining({ amount: 4_000 }),
    ]);
  });

  it('a lost answer is never sent twice: the attempt fails in time (3000) and is flagged for reconciliation', async () => {
    await fault({ resource: 'authorizations', dropAnswer: true });
    const { payment, attemptId } = await pay('4111111111111111', 'VISA-CREDIT', 3_100);
    const started = Date.now();
    const attempt = await waitForFinalPatch(stack, payment.mobilePayPaymentId, attemptId);
    expect(attempt.final).toMatchObject({ succeeded: false, reasonCode: 3000 });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(attempt.late).toBe(false);
    // Clearhaus acted (the authorization stands there) but got exactly one request.
    expect((await recordOf(attemptId))?.code).toBe(20000);
    expect((await records()).requestsByReference[clearhausReference(attemptId)]).toBe(1);
    const [row] = await query<{ flagged: Date | null; note: string | null }>(
      'SELECT "reconciliationRequiredAt" AS flagged, "reconciliationNote" AS note FROM "AuthorizationAttempt" WHERE id = $1',
      [attemptId],
    );
    expect(row.flagged).not.toBeNull();
    expect(row.note).toMatch(/^clearhaus: /);
  });

  it('a late approval after the attempt was failed is voided once its id arrives', async () => {
    await fault({ resource: 'authorizations', delayMs: 4_000 });
    const { payment, attemptId } = await pay('4111111111111111', 'VISA-CREDIT', 3_200);
    const attempt = await waitForFinalPatch(stack, payment.mobilePayPaymentId, attemptId);
    expect(attempt.final).toMatchObject({ succeeded: false, reasonCode: 3000 });
    const record = await eventually(
      () => recordOf(attemptId),
      (r) => (r?.voids.length ?? 0) > 0,
      15_000,
    );
    expect(record).toMatchObject({ code: 20000, voids: [{ amount: 3_200 }] });
    expect((await records()).requestsByReference[clearhausReference(attemptId)]).toBe(1);
  });

  it('a signature that does not verify is refused by Clearhaus: the attempt fails with 2001, not retried', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clearhaus-wrong-key-'));
    const wrongKey = join(dir, 'wrong.pem');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(wrongKey, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await stack.stop('worker');
    stack.setEnv('worker', { CLEARHAUS_SIGNING_KEY_FILE: wrongKey });
    await stack.start('worker');
    const { payment, attemptId } = await pay('4111111111111111', 'VISA-CREDIT', 1_234);
    const attempt: SandboxAttempt = await waitForFinalPatch(
      stack,
      payment.mobilePayPaymentId,
      attemptId,
    );
    expect(attempt.final).toMatchObject({ succeeded: false, reasonCode: 2001 });
    expect(attempt.patches).toHaveLength(1);
    expect(attempt.patches[0].body.reasonMessage).toMatch(/signature/);
    expect(await recordOf(attemptId)).toBeUndefined();
    expect((await records()).requestsByReference[clearhausReference(attemptId)]).toBe(1);
  });

  /** An approved card-data payment, AUTHORIZED on our side. */
  async function authorizedPayment(
    amount: number,
  ): Promise<{ paymentId: string; attemptId: string }> {
    const { payment, attemptId } = await pay('4111111111111111', 'VISA-CREDIT', amount);
    await waitForFinalPatch(stack, payment.mobilePayPaymentId, attemptId);
    await eventually(
      () => query<{ status: string }>('SELECT status FROM "Payment" WHERE id = $1', [payment.id]),
      (rows) => rows[0]?.status === 'AUTHORIZED',
    );
    return { paymentId: payment.id, attemptId };
  }
});
