import { setTimeout as sleep } from 'node:timers/promises';
import { ACQUIRER_TEST_CARDS } from '../../apps/sandbox/src/acquirers/test-cards';
import {
  createPayment,
  onboardMerchant,
  sandboxView,
  swipe,
  waitForAttempt,
  waitForFinalPatch,
  type DemoMerchant,
} from '../../scripts/stack/scenario';
import type { Stack } from '../../scripts/stack/stack';
import { completeThreeDs } from '../support/three-ds-flow';
import { startTestStack, query } from '../support/e2e-stack';
import { eventually } from '../support/eventually';
import { getPayment } from '../support/merchant-api';

jest.setTimeout(150_000);

/** Soft-declined by the acquirer; its last four select the 3dsecure.io sandbox's manual challenge. */
const SOFT = ACQUIRER_TEST_CARDS.find((c) => c.pan === '4000100005160072')!;
/** The production default (MobilePay's guide): the PATCH is due 32 s after the callback. */
const PATCH_DEADLINE_MS = 32_000;

const codes = (attempt: { patches: { body: { succeeded: boolean; reasonCode?: number } }[] }) =>
  attempt.patches.map((p) => (p.body.succeeded ? 'succeeded' : p.body.reasonCode));

/**
 * The production defaults on every process (15 min 3-D Secure window, 32 s PATCH deadline): a
 * shopper who takes longer over the challenge than the PATCH deadline still gets paid. The
 * watchdog scheduled at intake must follow the deadline the challenge gave the attempt.
 */
describe('3-D Secure with the production deadlines', () => {
  let stack: Stack;
  let merchant: DemoMerchant;

  beforeAll(async () => {
    stack = await startTestStack();
    merchant = await onboardMerchant(stack);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('a challenge completed after the PATCH deadline passed is re-authorized and succeeds', async () => {
    const payment = await createPayment(stack, merchant, { allowedCardTypes: [SOFT.cardType] });
    const swipedAt = Date.now();
    const { authorizationAttemptId: attemptId } = await swipe(stack, payment.mobilePayPaymentId, {
      cardNumber: SOFT.pan,
      cardType: SOFT.cardType,
      // Card data: the 3-D Secure sandbox's test cases key on the PAN.
      tokenize: false,
    });
    const challenged = await waitForAttempt(stack, payment.mobilePayPaymentId, attemptId, (a) =>
      a.patches.some((p) => p.body.reasonCode === 1008),
    );
    const url = challenged.patches.find((p) => p.body.reasonCode === 1008)!.body.threeDSecureUrl!;

    // The shopper is slow: the intake's watchdog (due at 28 s) and the PATCH deadline go by.
    await sleep(Math.max(0, swipedAt + PATCH_DEADLINE_MS + 3_000 - Date.now()));
    const waiting = (await sandboxView(stack, payment.mobilePayPaymentId)).attempts[0];
    expect(codes(waiting)).toEqual([1008]);
    expect(waiting.final).toBeNull();
    const [stored] = await query<{ status: string; deadlineAt: Date }>(
      'SELECT status, "deadlineAt" FROM "AuthorizationAttempt" WHERE id = $1',
      [attemptId],
    );
    expect(stored.status).toBe('THREE_DS_PENDING');
    expect(stored.deadlineAt.getTime()).toBeGreaterThan(Date.now() + 10 * 60_000);

    expect(await completeThreeDs(url, 'approve')).toBe(`${stack.urls.sandbox}/done3ds.html`);

    const attempt = await waitForFinalPatch(stack, payment.mobilePayPaymentId, attemptId);
    expect(codes(attempt)).toEqual([1008, 1009, 'succeeded']);
    expect(attempt.late).toBe(false);
    await eventually(
      () => getPayment(stack, merchant, payment.id),
      (p) => p.status === 'AUTHORIZED',
    );
  });
});
