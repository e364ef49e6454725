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

jest.setTimeout(120_000);

interface AcquirerRecord {
  reference: string;
  requests: number;
  authorizations: number;
  status: string;
  posCode?: string | null;
  reversed?: boolean;
  cardKind?: string;
  delegatedAuthentication?: boolean;
}

/** Long enough that the watchdog's margin (20 %) survives a slow, shared CI machine. */
const DEADLINE_MS = 8_000;
const card = (cardType: string) => TEST_WALLET.find((c) => c.cardType === cardType)!;

describe('authorization engine through the sandbox', () => {
  let stack: Stack;
  let merchant: DemoMerchant;

  const record = async (reference: string) =>
    (await http<AcquirerRecord[]>('GET', `${stack.urls.sandbox}/acquirer/v1/_records`)).body.find(
      (r) => r.reference === reference,
    );
  const behave = (body: Record<string, unknown>) =>
    http('POST', `${stack.urls.sandbox}/acquirer/v1/_behaviour`, body);
  const attemptRow = (id: string) =>
    query<{ kind: string; tokenMethod: string | null; status: string }>(
      'SELECT kind, "tokenMethod", status FROM "AuthorizationAttempt" WHERE id = $1',
      [id],
    );
  const swipeWith = async (cardType: string, extra: Record<string, unknown> = {}) => {
    const payment = await createPayment(stack, merchant, { allowedCardTypes: [cardType] });
    const { body } = await http<{ authorizationAttemptId: string }>(
      'POST',
      `${stack.urls.sandbox}/sandbox/v1/payments/${payment.mobilePayPaymentId}/swipe`,
      { cardNumber: card(cardType).pan, cardType, ...extra },
    );
    return { payment, attemptId: body.authorizationAttemptId };
  };

  /** A Visa debit swipe while the acquirer behaves so: failed with 3000, in time. */
  const timedOut = async (behaviour: Record<string, unknown>): Promise<string> => {
    await behave(behaviour);
    const { payment, attemptId } = await swipeWith('VISA-DEBIT', { tokenize: false });
    const attempt = await waitForFinalPatch(
      stack,
      payment.mobilePayPaymentId,
      attemptId,
      DEADLINE_MS + 5_000,
    );
    expect(attempt.final).toMatchObject({ succeeded: false, reasonCode: 3000 });
    expect(attempt.late).toBe(false);
    return attemptId;
  };

  beforeAll(async () => {
    const deadline = { PATCH_DEADLINE_MS: String(DEADLINE_MS), ACQUIRER_TIMEOUT_MS: '1500' };
    stack = await startTestStack({
      gateway: { ...deadline, TOKEN_ACCEPTED_COUNTRIES: 'DK' },
      worker: { ...deadline, ACQUIRER_LATE_ARRIVAL_WINDOW_MS: '30000' },
      sandbox: { SANDBOX_PATCH_DEADLINE_MS: String(DEADLINE_MS) },
    });
    merchant = await onboardMerchant(stack);
  });

  afterEach(async () => {
    await http('DELETE', `${stack.urls.sandbox}/acquirer/v1/_behaviour`);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('Dankort goes to the Nets ISO 8583 acquirer with the delegated-authentication fields on the wire', async () => {
    const dankort = await swipeWith('DANKORT');
    const visa = await swipeWith('VISA-DEBIT', { tokenize: false });
    expect(
      (await waitForFinalPatch(stack, dankort.payment.mobilePayPaymentId, dankort.attemptId)).final,
    ).toMatchObject({
      succeeded: true,
    });
    await waitForFinalPatch(stack, visa.payment.mobilePayPaymentId, visa.attemptId);
    const { body: iso } = await http<
      {
        reference: string;
        posDataCode: string | null;
        additionalDataNational: string | null;
        authorizations: number;
      }[]
    >('GET', `${stack.urls.sandbox}/acquirer/iso8583/_records`);
    expect(iso.find((r) => r.reference === dankort.attemptId)).toMatchObject({
      posDataCode: 'K005K0K00130',
      additionalDataNational: '7R0108844101001V!00223',
      authorizations: 1,
    });
    // Visa goes to the REST acquirer, and never with Dankort's fields.
    expect(iso.find((r) => r.reference === visa.attemptId)).toBeUndefined();
    expect(await record(visa.attemptId)).toMatchObject({ status: 'APPROVED' });
    expect((await record(visa.attemptId))?.posCode ?? null).toBeNull();
  });

  it("routes a merchant's payments by its own routes once the back office sets them", async () => {
    const routed = await onboardMerchant(stack);
    const admin = { authorization: `Bearer ${stack.adminKey}` };
    const routing = (id: string, body: unknown) =>
      http<{ code?: string; acquirerRoutes?: unknown }>(
        'PATCH',
        `${stack.urls.gateway}/v1/admin/merchants/${id}/routing`,
        body,
        admin,
      );
    expect(await routing(routed.id, { acquirerRoutes: { VISA: 'nowhere' } })).toMatchObject({
      status: 400,
      body: { code: 'validation_failed' },
    });
    expect(
      (await routing('0b7e3c52-3f7e-4a8e-9b53-2d6f8a1c9e00', { acquirerRoutes: null })).status,
    ).toBe(404);
    expect(
      await routing(routed.id, { acquirerRoutes: { 'VISA-DEBIT': 'nets-iso8583' } }),
    ).toMatchObject({ status: 200, body: { acquirerRoutes: { 'VISA-DEBIT': 'nets-iso8583' } } });

    const payment = await createPayment(stack, routed, { allowedCardTypes: ['VISA-DEBIT'] });
    const { body } = await http<{ authorizationAttemptId: string }>(
      'POST',
      `${stack.urls.sandbox}/sandbox/v1/payments/${payment.mobilePayPaymentId}/swipe`,
      { cardNumber: card('VISA-DEBIT').pan, cardType: 'VISA-DEBIT', tokenize: false },
    );
    const attempt = await waitForFinalPatch(
      stack,
      payment.mobilePayPaymentId,
      body.authorizationAttemptId,
    );
    expect(attempt.final).toMatchObject({ succeeded: true });
    const { body: iso } = await http<{ reference: string }[]>(
      'GET',
      `${stack.urls.sandbox}/acquirer/iso8583/_records`,
    );
    expect(iso.map((r) => r.reference)).toContain(body.authorizationAttemptId);
    expect(await record(body.authorizationAttemptId)).toBeUndefined();
    // Other merchants keep the platform's routes: Visa at the REST acquirer.
    const other = await swipeWith('VISA-DEBIT', { tokenize: false });
    await waitForFinalPatch(stack, other.payment.mobilePayPaymentId, other.attemptId);
    expect(await record(other.attemptId)).toMatchObject({ authorizations: 1 });
  });

  it.each([
    ['VISA-CREDIT', 'VTS'],
    ['MC-CREDIT', 'MC S4C'],
  ])('authorizes a %s network token (%s) from the token callback', async (cardType, method) => {
    const { payment, attemptId } = await swipeWith(cardType, { tokenize: true });
    const attempt = await waitForFinalPatch(stack, payment.mobilePayPaymentId, attemptId);
    expect(attempt.final).toMatchObject({ succeeded: true });
    const [row] = await attemptRow(attemptId);
    expect(row).toMatchObject({ kind: 'NETWORK_TOKEN', tokenMethod: method });
    expect(await record(attemptId)).toMatchObject({ authorizations: 1 });
  });

  it.each([
    ['VISA-CREDIT', { isDelegatedAuthentication: true }, true],
    ['VISA-CREDIT', { isDelegatedAuthentication: false }, false],
    // MC S4C has no such flag: the acquirer is told nothing (its record's default, false).
    ['MC-CREDIT', {}, false],
  ])(
    "carries a %s token's delegated authentication %j to the acquirer request",
    async (cardType, flag, expected) => {
      const { payment, attemptId } = await swipeWith(cardType, { tokenize: true, ...flag });
      const attempt = await waitForFinalPatch(stack, payment.mobilePayPaymentId, attemptId);
      expect(attempt.final).toMatchObject({ succeeded: true });
      expect(await record(attemptId)).toMatchObject({
        cardKind: 'network-token',
        delegatedAuthentication: expected,
      });
    },
  );

  it('answers 501 to a token it cannot route; MobilePay fails over to card data, which succeeds', async () => {
    const { payment, attemptId } = await swipeWith('VISA-CREDIT', {
      tokenize: true,
      cardIssuedInCountryCode: 'FI',
    });
    const attempt = await waitForFinalPatch(stack, payment.mobilePayPaymentId, attemptId);
    expect(attempt).toMatchObject({ final: { succeeded: true }, failedOver: true });
    expect((await attemptRow(attemptId))[0]).toMatchObject({ kind: 'PAN' });
  });

  it('Checkout: the address callback arrives and is stored before the card callback', async () => {
    const payment = await createPayment(stack, merchant, {
      checkout: { deliveryAddressAllowed: true },
    });
    const swiped = await swipe(stack, payment.mobilePayPaymentId);
    await waitForFinalPatch(stack, payment.mobilePayPaymentId, swiped.authorizationAttemptId);
    const callbacks = (await sandboxView(stack, payment.mobilePayPaymentId)).events
      .filter((e) => e.direction === 'mobilepay->psp' && e.status === 200)
      .map((e) => e.path.split('/').pop());
    expect(callbacks[0]).toBe('checkout');
    const [row] = await query<{ details: { addresses: unknown[] } }>(
      'SELECT "checkoutDetails" AS details FROM "Payment" WHERE id = $1',
      [payment.id],
    );
    expect(row.details.addresses.length).toBeGreaterThan(0);
  });

  it('reply lost after the acquirer acted: the inquiry finds the approval, no second authorization', async () => {
    await behave({ delayMs: 4_000 });
    const { payment, attemptId } = await swipeWith('VISA-DEBIT', { tokenize: false });
    const attempt = await waitForFinalPatch(stack, payment.mobilePayPaymentId, attemptId);
    expect(attempt.final).toMatchObject({ succeeded: true });
    expect(attempt.late).toBe(false);
    expect(await record(attemptId)).toMatchObject({ requests: 1, authorizations: 1 });
  });

  it('acquirer silent until the deadline: failure PATCH 3000 in time, then the authorization is reversed', async () => {
    const attemptId = await timedOut({ delayMs: 30_000, inquiryUnavailable: true });
    await http('DELETE', `${stack.urls.sandbox}/acquirer/v1/_behaviour`);
    const reversed = await eventually(
      () => record(attemptId),
      (r) => r?.reversed === true,
      20_000,
    );
    expect(reversed).toMatchObject({ authorizations: 1, reversed: true });
    // The worker records the reversal once the acquirer has answered it: a moment later.
    const [row] = await eventually(
      () =>
        query<{ reversedAt: Date | null }>(
          'SELECT "reversedAt" FROM "AuthorizationAttempt" WHERE id = $1',
          [attemptId],
        ),
      (rows) => rows[0]?.reversedAt !== null,
      10_000,
    );
    expect(row.reversedAt).not.toBeNull();
  });

  it('an authorization that lands after the deadline, and after a first reversal found nothing, is still reversed', async () => {
    // The acquirer acts on the request only after MobilePay's deadline has passed.
    const attemptId = await timedOut({ actAfterMs: DEADLINE_MS + 4_000 });
    const reversed = await eventually(
      () => record(attemptId),
      (r) => r?.reversed === true,
      40_000,
    );
    expect(reversed).toMatchObject({ status: 'APPROVED', authorizations: 1, reversed: true });
  });
});
