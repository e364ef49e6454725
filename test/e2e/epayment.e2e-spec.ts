import { http } from '../../scripts/stack/http';
import {
  approveEpayment,
  createEpaymentPayment,
  epaymentSimView,
  onboardEpaymentMerchant,
  type EpaymentMerchant,
} from '../../scripts/stack/epayment-scenario';
import type { Stack } from '../../scripts/stack/stack';
import { query, startTestStack } from '../support/e2e-stack';
import { eventually } from '../support/eventually';
import { completeThreeDs } from '../support/three-ds-flow';

jest.setTimeout(120_000);

const BUDGET_MS = 4_000;

interface AcquirerRecord {
  reference: string;
  authorizations: number;
  reversed?: boolean;
}

async function acquirerRecords(stack: Stack, reference: string): Promise<AcquirerRecord[]> {
  const { body } = await http<AcquirerRecord[]>(
    'GET',
    `${stack.urls.sandbox}/acquirer/v1/_records`,
  );
  return body.filter((r) => r.reference.startsWith(reference));
}

async function attemptRow(paymentId: string) {
  const rows = await query<{
    id: string;
    status: string;
    reasonCode: number | null;
    reversedAt: Date | null;
  }>(
    'SELECT id, status, "reasonCode", "reversedAt" FROM "AuthorizationAttempt" WHERE "paymentId" = $1',
    [paymentId],
  );
  return rows;
}

describe('ePayment CARD_PASSTHROUGH through sandbox, gateway and worker', () => {
  let stack: Stack;
  let merchant: EpaymentMerchant;

  beforeAll(async () => {
    stack = await startTestStack({
      gateway: { EPAYMENT_CALLBACK_BUDGET_MS: String(BUDGET_MS) },
      worker: { ACQUIRER_TIMEOUT_MS: '8000' },
    });
    merchant = await onboardEpaymentMerchant(stack);
  });

  afterAll(async () => {
    await stack?.close();
  });

  const post = (path: string, body: unknown, key: string) =>
    http<Record<string, unknown>>('POST', `${stack.urls.gateway}${path}`, body, {
      authorization: `Bearer ${merchant.apiKey}`,
      'idempotency-key': key,
    });

  it('answers RESERVE within the budget, once per attempt, and reports capture, refund and cancel', async () => {
    const payment = await createEpaymentPayment(stack, merchant);
    expect(payment).toMatchObject({ channel: 'epayment', status: 'INITIATED' });
    expect(payment.redirectToMobilePayUrl).toContain('/epayment-sim/landing/');

    const first = await approveEpayment(stack, payment.id, {
      cardNumber: '4111111111111111',
      cardType: 'VISA-DEBIT',
    });
    expect(first.httpStatus).toBe(200);
    expect(first.answer).toMatchObject({ status: 'RESERVE' });
    expect(first.answer?.networkTransactionReference).toEqual(expect.any(String));
    expect(first.elapsedMs).toBeLessThan(BUDGET_MS);
    expect(first.state).toBe('AUTHORIZED');

    // The answer goes out as soon as the outcome is recorded; the attempt closes right after.
    const [row] = await eventually(
      () => attemptRow(payment.id),
      (rows) => rows[0]?.status === 'SUCCEEDED',
    );
    expect(await acquirerRecords(stack, row.id)).toEqual([
      expect.objectContaining({ authorizations: 1 }),
    ]);

    expect(
      (await post(`/v1/payments/${payment.id}/captures`, { amount: 20_000 }, `cap-${payment.id}`))
        .status,
    ).toBe(201);
    expect(
      (await post(`/v1/payments/${payment.id}/refunds`, { amount: 5_000 }, `ref-${payment.id}`))
        .status,
    ).toBe(201);
    expect((await post(`/v1/payments/${payment.id}/cancels`, {}, `can-${payment.id}`)).status).toBe(
      201,
    );

    const sim = await eventually(
      () => epaymentSimView(stack, payment.id),
      (view) => view.cancelled > 0,
    );
    expect(sim).toMatchObject({
      state: 'AUTHORIZED',
      authorized: 49_900,
      captured: 20_000,
      refunded: 5_000,
      cancelled: 29_900,
    });
    expect(sim.events.map((e) => e.name)).toEqual([
      'CREATED',
      'AUTHORIZED',
      'CAPTURED',
      'REFUNDED',
      'CANCELLED',
    ]);
  });

  it('answers FAIL for a decline: retryable keeps the payment open, fraud ends it', async () => {
    const payment = await createEpaymentPayment(stack, merchant);
    const declined = await approveEpayment(stack, payment.id, {
      cardNumber: '4000000000000002',
      cardType: 'VISA-CREDIT',
    });
    expect(declined.answer).toEqual({
      status: 'FAIL',
      errorCode: 300,
      errorMessage: 'Refused by issuer',
    });
    expect(declined.state).toBe('CREATED');

    // The user tries another card on the same payment: a new attempt, declined as fraud.
    const fraud = await approveEpayment(stack, payment.id, {
      cardNumber: '4100000000000019',
      cardType: 'VISA-CREDIT',
    });
    expect(fraud.answer).toMatchObject({ status: 'FAIL', errorCode: 303 });
    expect(fraud.state).toBe('ABORTED');
    expect((await attemptRow(payment.id)).map((a) => a.status).sort()).toEqual([
      'FAILED',
      'FAILED',
    ]);
  });

  it('answers a repeated callback for the same attempt with the same answer and one authorization', async () => {
    const payment = await createEpaymentPayment(stack, merchant);
    const declined = await approveEpayment(stack, payment.id, {
      cardNumber: '4000000000009995',
      cardType: 'VISA-CREDIT',
    });
    expect(declined.answer).toMatchObject({ status: 'FAIL', errorCode: 301 });
    const repeated = await approveEpayment(stack, payment.id, { attemptId: declined.attemptId });
    expect(repeated.answer).toEqual(declined.answer);
    const rows = await attemptRow(payment.id);
    expect(rows).toHaveLength(1);
    expect(await acquirerRecords(stack, rows[0].id)).toEqual([
      expect.objectContaining({ authorizations: 1 }),
    ]);
  });

  it('soft decline: SOFT_DECLINE with our 3-D Secure page, then the second callback is approved', async () => {
    const payment = await createEpaymentPayment(stack, merchant);
    const soft = await approveEpayment(stack, payment.id, {
      // Soft-declined by the acquirer; its last four select the 3DS sandbox's manual challenge.
      cardNumber: '4000100005160072',
      cardType: 'VISA-CREDIT',
    });
    expect(soft.answer?.status).toBe('SOFT_DECLINE');
    const url = new URL(soft.answer!.softDeclineUrl!);
    expect(url.origin).toBe(stack.urls.gateway);
    // The user passes the EMV challenge; our page sends the browser back to Vipps MobilePay.
    const back = await completeThreeDs(url.toString(), 'approve');
    expect(back).toContain(`/epayment-sim/soft-decline-completed/${soft.attemptId}`);
    const second = await http<{ answer?: { status: string }; state: string }>('GET', back);
    expect(second.body).toMatchObject({ answer: { status: 'RESERVE' }, state: 'AUTHORIZED' });
  });

  it('budget exhausted: the non-retryable answer, and the late approval is reversed', async () => {
    const payment = await createEpaymentPayment(stack, merchant);
    // Approved at once by the acquirer, but its answer takes 30 s.
    const slow = await approveEpayment(stack, payment.id, {
      cardNumber: '4000000000000259',
      cardType: 'VISA-CREDIT',
    });
    expect(slow.httpStatus).toBe(500);
    // The deadline watchdog (shortly before the budget) or the budget itself ends the wait.
    expect(slow.elapsedMs).toBeGreaterThanOrEqual(BUDGET_MS * 0.75);
    expect(slow.elapsedMs).toBeLessThan(BUDGET_MS + 1_500);
    const [row] = await eventually(
      () => attemptRow(payment.id),
      (rows) => rows[0]?.reversedAt !== null,
      90_000,
    );
    expect(row).toMatchObject({ status: 'FAILED', reasonCode: 3000 });
  });

  it('in person: PUSH_MESSAGE to the phone of the customer, CUSTOMER_PRESENT, the same callback and engine', async () => {
    const payment = await createEpaymentPayment(stack, merchant, {
      redirectFromMobilePayUrl: undefined,
      userFlow: 'PUSH_MESSAGE',
      customerPhoneNumber: '4512345678',
      customerPresent: true,
    });
    expect(payment).toMatchObject({ channel: 'epayment', userFlow: 'PUSH_MESSAGE' });
    // No redirect for a push message: the app rings on the customer's phone.
    expect(payment.redirectToMobilePayUrl).toBeNull();
    const approved = await approveEpayment(stack, payment.id, {
      cardNumber: '5555555555554444',
      cardType: 'MC-CREDIT',
    });
    expect(approved.answer?.status).toBe('RESERVE');
    const sim = await http<{ userFlow: string; customerInteraction: string; phoneNumber: string }>(
      'GET',
      `${stack.urls.sandbox}/sandbox/epayment/v1/payments/${payment.id}`,
    );
    expect(sim.body).toMatchObject({
      userFlow: 'PUSH_MESSAGE',
      customerInteraction: 'CUSTOMER_PRESENT',
      phoneNumber: '4512345678',
    });
  });

  it('refuses a card callback with a bad signature', async () => {
    const response = await http(
      'POST',
      `${stack.urls.gateway}/callbacks/epayment/card`,
      {
        pspReference: 'x',
        authorizationAttemptId: 'y',
        merchantSerialNumber: '123456',
        cardInfo: { cardType: 'VISA-DEBIT', cardDataType: 'TOKEN' },
      },
      {
        'x-ms-date': new Date().toUTCString(),
        'x-ms-content-sha256': 'AAAA',
        authorization:
          'HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=AAAA',
      },
    );
    expect(response.status).toBe(403);
  });
});
