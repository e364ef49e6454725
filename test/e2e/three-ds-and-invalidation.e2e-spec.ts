import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ACQUIRER_TEST_CARDS } from '../../apps/sandbox/src/acquirers/test-cards';
import { http } from '../../scripts/stack/http';
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
import { launchChromium } from '../support/browser';
import { completeThreeDs } from '../support/three-ds-flow';
import { startTestStack } from '../support/e2e-stack';
import { eventually } from '../support/eventually';
import { api, getPayment } from '../support/merchant-api';

jest.setTimeout(120_000);

/** Soft-declined by the acquirer; its last four select the 3dsecure.io sandbox's manual challenge. */
const SOFT = ACQUIRER_TEST_CARDS.find((c) => c.pan === '4000100005160072')!;

interface AcquirerRecord {
  reference: string;
  authorizations: number;
  status: string;
  reversed?: boolean;
}

const codes = (attempt: { patches: { body: { succeeded: boolean; reasonCode?: number } }[] }) =>
  attempt.patches.map((p) => (p.body.succeeded ? 'succeeded' : p.body.reasonCode));

/**
 * Long enough for a slow machine to run a browser through the challenge (the watchdog keeps the
 * last 4 s for the PATCH 1000); the timeout test waits it out. Shorter than the PATCH deadline:
 * three-ds-deadlines.e2e-spec.ts runs the production defaults, where it is far longer.
 */
const THREE_DS_WINDOW_MS = 16_000;

describe('3-D Secure fallback and invalidation', () => {
  let stack: Stack;
  let merchant: DemoMerchant;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  const records = async () =>
    (await http<AcquirerRecord[]>('GET', `${stack.urls.sandbox}/acquirer/v1/_records`)).body;
  const invalidate = (paymentId: string) =>
    http<{ code?: string; status?: string }>(
      'POST',
      `${stack.urls.gateway}/v1/payments/${paymentId}/invalidate`,
      undefined,
      {
        authorization: `Bearer ${merchant.apiKey}`,
      },
    );

  /** Swipes the soft-decline card and waits for the 1008 PATCH; returns the challenge URL. */
  async function softDeclined() {
    const payment = await createPayment(stack, merchant, { allowedCardTypes: [SOFT.cardType] });
    const swiped = await swipe(stack, payment.mobilePayPaymentId, {
      cardNumber: SOFT.pan,
      cardType: SOFT.cardType,
      // Card data: the 3-D Secure sandbox's test cases key on the PAN.
      tokenize: false,
    });
    const attempt = await waitForAttempt(
      stack,
      payment.mobilePayPaymentId,
      swiped.authorizationAttemptId,
      (a) => a.patches.some((p) => p.body.reasonCode === 1008),
    );
    const url = attempt.patches.find((p) => p.body.reasonCode === 1008)!.body.threeDSecureUrl!;
    return { payment, attemptId: swiped.authorizationAttemptId, url };
  }

  /** The cardholder's answer on our challenge page, as the browser form would post it. */
  async function answer(url: string, action: 'cancel') {
    const target = new URL(url);
    const response = await fetch(`${target.origin}${target.pathname}/challenge`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: target.searchParams.get('token')!, action }).toString(),
      redirect: 'manual',
    });
    return { status: response.status, location: response.headers.get('location') };
  }

  beforeAll(async () => {
    const window = { THREE_DS_WINDOW_MS: String(THREE_DS_WINDOW_MS) };
    [stack, browser] = await Promise.all([
      startTestStack({ gateway: window, worker: window }),
      launchChromium(),
    ]);
    merchant = await onboardMerchant(stack);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('3DS success: 1008 → challenge page → done3ds → 1009 → re-authorized with the 3DS result → success', async () => {
    const { payment, attemptId, url } = await softDeclined();
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('129,95 DKK');

    expect(await completeThreeDs(url, 'approve')).toBe(`${stack.urls.sandbox}/done3ds.html`);
    const attempt = await waitForFinalPatch(stack, payment.mobilePayPaymentId, attemptId);
    expect(codes(attempt)).toEqual([1008, 1009, 'succeeded']);
    const all = await records();
    expect(all.find((r) => r.reference === attemptId)).toMatchObject({
      status: 'SOFT_DECLINED',
      authorizations: 1,
    });
    expect(all.find((r) => r.reference === `${attemptId}.3ds`)).toMatchObject({
      status: 'APPROVED',
      authorizations: 1,
    });

    // Captures and refunds act on the authorization that stands: the one after 3-D Secure.
    await eventually(
      () => getPayment(stack, merchant, payment.id),
      (p) => p.status === 'AUTHORIZED',
    );
    const path = `/v1/payments/${payment.id}`;
    const capture = await api(stack, merchant.apiKey, 'POST', `${path}/captures`, {
      amount: 12_995,
    });
    expect(capture).toMatchObject({ status: 201, body: { status: 'succeeded' } });
    const refund = await api(stack, merchant.apiKey, 'POST', `${path}/refunds`, { amount: 2_500 });
    expect(refund).toMatchObject({ status: 201, body: { status: 'succeeded' } });
    const operations = await http<{ totals: { captured: number; refunded: number } }>(
      'GET',
      `${stack.urls.sandbox}/acquirer/v1/authorizations/${attemptId}.3ds/operations`,
    );
    expect(operations.body.totals).toMatchObject({ captured: 12_995, refunded: 2_500 });
  });

  it('3DS in a real browser: the shopper confirms in the bank challenge and lands on done3ds', async () => {
    const { payment, attemptId, url } = await softDeclined();
    // The app opens its web view on the challenge; the browser below is that web view's user.
    await http('POST', `${stack.urls.sandbox}/sandbox/v1/attempts/${attemptId}/open-3ds`);
    const page = await browser.newPage();
    try {
      await page.goto(url);
      const acs = page.frameLocator('iframe[name=challengeIframe]');
      await acs.locator('#acs-approve').waitFor({ timeout: 20_000 });
      await page.screenshot({
        path: join(mkdtempSync(join(tmpdir(), 'psp-3ds-')), 'challenge.png'),
      });
      await Promise.all([page.waitForURL(/done3ds\.html/), acs.locator('#acs-approve').click()]);
      expect(page.url()).toBe(`${stack.urls.sandbox}/done3ds.html`);
    } finally {
      await page.close();
    }
    const attempt = await waitForFinalPatch(stack, payment.mobilePayPaymentId, attemptId);
    expect(codes(attempt)).toEqual([1008, 1009, 'succeeded']);
    expect(attempt).toMatchObject({ threeDs: { landedOnDone3ds: true } });
  });

  it('3DS cancelled: PATCH 1000 and the app is sent to done3ds; no second authorization', async () => {
    const { payment, attemptId, url } = await softDeclined();
    expect((await answer(url, 'cancel')).location).toBe(`${stack.urls.sandbox}/done3ds.html`);
    const attempt = await waitForFinalPatch(stack, payment.mobilePayPaymentId, attemptId);
    expect(codes(attempt)).toEqual([1008, 1000]);
    expect((await records()).find((r) => r.reference === `${attemptId}.3ds`)).toBeUndefined();
    // The page is closed now: it offers nothing to answer.
    expect(await (await fetch(url)).text()).toContain('This authentication is finished');
    await sleep(300);
    expect(codes((await sandboxView(stack, payment.mobilePayPaymentId)).attempts[0])).toEqual([
      1008, 1000,
    ]);
  });

  it('3DS timeout: an unfinished challenge is failed with 1000 when its window ends', async () => {
    const { payment, attemptId } = await softDeclined();
    const attempt = await waitForFinalPatch(
      stack,
      payment.mobilePayPaymentId,
      attemptId,
      THREE_DS_WINDOW_MS + 20_000,
    );
    expect(codes(attempt)).toEqual([1008, 1000]);
    expect(attempt.late).toBe(false);
  });

  it('refuses a challenge link with a forged token', async () => {
    const { url } = await softDeclined();
    const forged = url.replace(/token=[^&]+/, `token=${'A'.repeat(43)}`);
    expect((await fetch(forged)).status).toBe(404);
  });

  it('invalidation before any callback: done, and the shopper can no longer swipe', async () => {
    const payment = await createPayment(stack, merchant);
    expect(await invalidate(payment.id)).toMatchObject({
      status: 200,
      body: { status: 'INVALIDATED' },
    });
    expect((await sandboxView(stack, payment.mobilePayPaymentId)).payment.status).toBe(
      'INVALIDATED',
    );
    const refused = await http(
      'POST',
      `${stack.urls.sandbox}/api/v1/product/payments/simulation/enter-phone-and-swipe/${payment.mobilePayPaymentId}`,
      {
        phoneNumber: '+4512345678',
      },
    );
    expect(refused.status).toBe(409);
  });

  it('invalidation after a callback: the open attempt is patched 1010 first, then MobilePay invalidates', async () => {
    const payment = await createPayment(stack, merchant);
    await stack.kill('worker');
    const swiped = await swipe(stack, payment.mobilePayPaymentId);
    const invalidating = invalidate(payment.id);
    // Back soon enough that the 1010 PATCH goes out within the invalidation's bounded retries.
    await sleep(200);
    await stack.start('worker');
    expect(await invalidating).toMatchObject({ status: 200, body: { status: 'INVALIDATED' } });
    const attempt = await waitForFinalPatch(
      stack,
      payment.mobilePayPaymentId,
      swiped.authorizationAttemptId,
    );
    expect(codes(attempt)).toEqual([1010]);
    expect(
      (await records()).find((r) => r.reference === swiped.authorizationAttemptId),
    ).toBeUndefined();
  });

  it('invalidation after authorization: MobilePay says 2100, the merchant gets a clear 409', async () => {
    const payment = await createPayment(stack, merchant);
    const swiped = await swipe(stack, payment.mobilePayPaymentId);
    await waitForFinalPatch(stack, payment.mobilePayPaymentId, swiped.authorizationAttemptId);
    await sleep(300);
    expect(await invalidate(payment.id)).toMatchObject({
      status: 409,
      body: { code: 'payment_already_authorized' },
    });
  });

  it('invalidation during 3DS: 1010 ends the challenge (2101 while it travels), then success', async () => {
    const { payment, attemptId } = await softDeclined();
    expect(await invalidate(payment.id)).toMatchObject({
      status: 200,
      body: { status: 'INVALIDATED' },
    });
    const attempt = await waitForFinalPatch(stack, payment.mobilePayPaymentId, attemptId);
    expect(codes(attempt)).toEqual([1008, 1010]);
    expect((await sandboxView(stack, payment.mobilePayPaymentId)).payment.status).toBe(
      'INVALIDATED',
    );
  });

  it('a callback racing the invalidation never ends authorized on an invalidated payment', async () => {
    for (let round = 0; round < 3; round++) {
      const payment = await createPayment(stack, merchant);
      const [swiped, invalidated] = await Promise.all([
        swipe(stack, payment.mobilePayPaymentId).catch(() => undefined),
        invalidate(payment.id),
      ]);
      await sleep(1_500);
      const view = await sandboxView(stack, payment.mobilePayPaymentId);
      const succeeded = view.attempts.some((a) => a.final?.succeeded);
      if (invalidated.status === 200) {
        expect(succeeded).toBe(false);
        expect(view.payment.status).toBe('INVALIDATED');
      } else {
        expect(invalidated.body.code).toBe('payment_already_authorized');
        expect(succeeded).toBe(true);
      }
      if (swiped) {
        const authorized = (await records()).filter(
          (r) => r.reference.startsWith(swiped.authorizationAttemptId) && r.status === 'APPROVED',
        );
        expect(authorized.length).toBeLessThanOrEqual(1);
      }
    }
  });
});
