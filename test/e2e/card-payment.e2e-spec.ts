import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ACQUIRER_TEST_CARDS } from '../../apps/sandbox/src/acquirers/test-cards';
import { TEST_WALLET } from '../../apps/sandbox/src/mobilepay/test-wallet';
import { http } from '../../scripts/stack/http';
import {
  createPayment,
  onboardMerchant,
  sandboxView,
  swipe,
  waitForFinalPatch,
  type DemoMerchant,
} from '../../scripts/stack/scenario';
import type { Stack } from '../../scripts/stack/stack';
import { query, startTestStack } from '../support/e2e-stack';
import { eventually } from '../support/eventually';

jest.setTimeout(90_000);

interface AcquirerRecord {
  reference: string;
  requests: number;
  authorizations: number;
}

/** The acquirer that authorized: the REST one, or the Nets ISO 8583 one for Dankort. */
async function acquirerRecord(
  stack: Stack,
  attemptId: string,
): Promise<AcquirerRecord | undefined> {
  const [rest, iso] = await Promise.all([
    http<AcquirerRecord[]>('GET', `${stack.urls.sandbox}/acquirer/v1/_records`),
    http<AcquirerRecord[]>('GET', `${stack.urls.sandbox}/acquirer/iso8583/_records`),
  ]);
  return [...rest.body, ...iso.body].find((record) => record.reference === attemptId);
}

describe('a card payment through sandbox, gateway and worker', () => {
  let stack: Stack;
  let merchant: DemoMerchant;

  beforeAll(async () => {
    // MobilePay retries a callback for 15 s; the gateway restart below must fit in that even
    // when a shared CI machine boots it slowly, so the window is wider here.
    stack = await startTestStack({ sandbox: { SANDBOX_CALLBACK_RETRY_WINDOW_MS: '30000' } });
    merchant = await onboardMerchant(stack);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('authorizes an approved card once and patches the attempt succeeded', async () => {
    const payment = await createPayment(stack, merchant, { amount: 12_995 });
    expect(payment.status).toBe('INITIATED');

    const swiped = await swipe(stack, payment.mobilePayPaymentId);
    const attempt = await waitForFinalPatch(
      stack,
      payment.mobilePayPaymentId,
      swiped.authorizationAttemptId,
    );

    expect(attempt.final).toMatchObject({ succeeded: true });
    expect(attempt.patches).toHaveLength(1);
    expect(attempt.late).toBe(false);
    expect(await acquirerRecord(stack, swiped.authorizationAttemptId)).toMatchObject({
      authorizations: 1,
    });

    // MobilePay has the PATCH; our side records it once MobilePay's answer is back.
    const rows = await eventually(
      () =>
        query<{ status: string; masked: string }>(
          'SELECT status, "maskedCardNumber" AS masked FROM "AuthorizationAttempt" WHERE id = $1',
          [swiped.authorizationAttemptId],
        ),
      (r) => r[0]?.status === 'SUCCEEDED',
    );
    expect(rows[0].status).toBe('SUCCEEDED');
    expect(rows[0].masked).toMatch(/^\d{6}\*+\d{4}$/);
    const sealed = await query('SELECT 1 FROM "SealedCardData" WHERE "attemptId" = $1', [
      swiped.authorizationAttemptId,
    ]);
    expect(sealed).toHaveLength(0);

    const view = await http<{
      status: string;
      authorizedAmount: number;
      attempts: { status: string }[];
    }>('GET', `${stack.urls.gateway}/v1/payments/${payment.id}`, undefined, {
      authorization: `Bearer ${merchant.apiKey}`,
    });
    expect(view.body).toMatchObject({ status: 'AUTHORIZED', authorizedAmount: 12_995 });
    expect(view.body.attempts[0].status).toBe('SUCCEEDED');
  });

  it('patches a declined card as failed with the mapped reason code and acquirer fields', async () => {
    const card = ACQUIRER_TEST_CARDS.find((c) => c.behaviour.declineCode === 'INSUFFICIENT_FUNDS')!;
    const payment = await createPayment(stack, merchant, { allowedCardTypes: [card.cardType] });
    const swiped = await swipe(stack, payment.mobilePayPaymentId, {
      cardNumber: card.pan,
      cardType: card.cardType,
    });
    const attempt = await waitForFinalPatch(
      stack,
      payment.mobilePayPaymentId,
      swiped.authorizationAttemptId,
    );

    expect(attempt.final).toMatchObject({ succeeded: false, reasonCode: 1001 });
    expect(attempt.patches[0].body).toMatchObject({
      succeeded: false,
      reasonCode: 1001,
      acquirerVatNumber: expect.any(String),
      acquirerMerchantId: expect.any(String),
      acquirerPaymentReference: expect.any(String),
    });
  });

  it('authorizes once when MobilePay delivers the same callback several times', async () => {
    const card = TEST_WALLET.find((c) => c.cardType === 'VISA-DEBIT')!;
    const payment = await createPayment(stack, merchant);
    const { body: swiped } = await http<{ authorizationAttemptId: string }>(
      'POST',
      `${stack.urls.sandbox}/sandbox/v1/payments/${payment.mobilePayPaymentId}/swipe`,
      { cardNumber: card.pan, cardType: card.cardType, duplicateDeliveries: 3 },
    );
    const attempt = await waitForFinalPatch(
      stack,
      payment.mobilePayPaymentId,
      swiped.authorizationAttemptId,
    );
    await sleep(1_000);

    const view = await sandboxView(stack, payment.mobilePayPaymentId);
    const callbacks = view.events.filter(
      (e) => e.direction === 'mobilepay->psp' && e.status === 200,
    );
    expect(callbacks.length).toBeGreaterThanOrEqual(4);
    expect(attempt.final).toMatchObject({ succeeded: true });
    expect((await sandboxView(stack, payment.mobilePayPaymentId)).attempts[0].patches).toHaveLength(
      1,
    );
    expect(await acquirerRecord(stack, swiped.authorizationAttemptId)).toMatchObject({
      requests: 1,
      authorizations: 1,
    });
  });

  it('still succeeds when the gateway is down for 5 s during the callback (MobilePay retries)', async () => {
    const payment = await createPayment(stack, merchant);
    await stack.kill('gateway');
    const swiping = swipe(stack, payment.mobilePayPaymentId);
    await sleep(5_000);
    await stack.start('gateway');
    const swiped = await swiping;

    expect(swiped.callbackStatus).toBe('acked');
    const attempt = await waitForFinalPatch(
      stack,
      payment.mobilePayPaymentId,
      swiped.authorizationAttemptId,
    );
    expect(attempt.final).toMatchObject({ succeeded: true });
    const view = await sandboxView(stack, payment.mobilePayPaymentId);
    const failedTries = view.events.filter(
      (e) => e.direction === 'mobilepay->psp' && e.status !== 200,
    );
    expect(failedTries.length).toBeGreaterThan(0);
  });

  it('authorizes and patches exactly once when the worker dies after the ack', async () => {
    const payment = await createPayment(stack, merchant);
    await stack.kill('worker');
    const swiped = await swipe(stack, payment.mobilePayPaymentId);
    await sleep(1_500);
    expect((await sandboxView(stack, payment.mobilePayPaymentId)).attempts[0].patches).toHaveLength(
      0,
    );

    await stack.start('worker');
    const attempt = await waitForFinalPatch(
      stack,
      payment.mobilePayPaymentId,
      swiped.authorizationAttemptId,
    );
    expect(attempt.final).toMatchObject({ succeeded: true });
    expect(attempt.patches).toHaveLength(1);
    expect(await acquirerRecord(stack, swiped.authorizationAttemptId)).toMatchObject({
      authorizations: 1,
    });
  });

  it('never authorizes twice when the worker dies while the acquirer call is in flight', async () => {
    // A Visa card: the REST acquirer, whose answer the sandbox can hold back.
    const visa = TEST_WALLET.find((c) => c.cardType === 'VISA-CREDIT')!;
    const payment = await createPayment(stack, merchant, { allowedCardTypes: ['VISA-CREDIT'] });
    await http('POST', `${stack.urls.sandbox}/acquirer/v1/_behaviour`, { delayMs: 3_000 });
    try {
      const swiped = await swipe(stack, payment.mobilePayPaymentId, {
        cardNumber: visa.pan,
        cardType: visa.cardType,
      });
      // Wait until the acquirer has acted (it holds its answer back), then crash the worker.
      for (let i = 0; i < 100 && !(await acquirerRecord(stack, swiped.authorizationAttemptId)); i++)
        await sleep(50);
      await stack.kill('worker');
      await http('DELETE', `${stack.urls.sandbox}/acquirer/v1/_behaviour`);
      await stack.start('worker');

      const attempt = await waitForFinalPatch(
        stack,
        payment.mobilePayPaymentId,
        swiped.authorizationAttemptId,
        30_000,
      );
      expect(attempt.final).toMatchObject({ succeeded: true });
      expect(attempt.patches).toHaveLength(1);
      expect(await acquirerRecord(stack, swiped.authorizationAttemptId)).toMatchObject({
        authorizations: 1,
      });
    } finally {
      await http('DELETE', `${stack.urls.sandbox}/acquirer/v1/_behaviour`);
    }
  });

  it('never writes a card number to any log line', async () => {
    await sleep(500);
    const pans = [...TEST_WALLET.map((c) => c.pan), ...ACQUIRER_TEST_CARDS.map((c) => c.pan)];
    const logs = readdirSync(stack.logDir).map((file) =>
      readFileSync(join(stack.logDir, file), 'utf8'),
    );
    expect(logs.join('').length).toBeGreaterThan(1_000);
    for (const log of logs) for (const pan of pans) expect(log).not.toContain(pan);
  });
});
