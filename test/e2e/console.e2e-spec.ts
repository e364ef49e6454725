import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ACQUIRER_TEST_CARDS } from '../../apps/sandbox/src/acquirers/test-cards';
import { http } from '../../scripts/stack/http';
import {
  createPayment,
  onboardMerchant,
  swipe,
  waitForFinalPatch,
  type CreatedPayment,
  type DemoMerchant,
} from '../../scripts/stack/scenario';
import { REPO_ROOT, type Stack } from '../../scripts/stack/stack';
import { launchChromium } from '../support/browser';
import { startTestStack } from '../support/e2e-stack';
import { eventually } from '../support/eventually';
import { WebhookReceiver } from '../support/webhook-receiver';

jest.setTimeout(240_000);

/** Screenshots of every page, for a person to look at (gitignored). */
const SCREENSHOTS = join(REPO_ROOT, 'test-output', 'console');

describe('operator console in a real browser', () => {
  const prefix = `{psp-console-${randomBytes(4).toString('hex')}}`;
  const receiver = new WebhookReceiver();
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let merchant: DemoMerchant;
  let approved: CreatedPayment & { orderId: string };
  let declined: CreatedPayment & { orderId: string };

  const shoot = async (name: string) => {
    const file = join(SCREENSHOTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(5_000);
  };

  async function pay(card?: { cardNumber: string; cardType: string }) {
    const orderId = `order-${randomUUID().slice(0, 8)}`;
    const payment = await createPayment(stack, merchant, {
      orderId,
      ...(card ? { allowedCardTypes: [card.cardType] } : {}),
    });
    const swiped = await swipe(stack, payment.mobilePayPaymentId, card);
    await waitForFinalPatch(stack, payment.mobilePayPaymentId, swiped.authorizationAttemptId);
    return { ...payment, orderId };
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await receiver.start();
    stack = await startTestStack({
      gateway: { QUEUE_PREFIX: prefix },
      // A failed webhook waits two minutes for its next try: long enough for "Retry now".
      worker: { QUEUE_PREFIX: prefix, WEBHOOK_RETRY_BASE_MS: '120000' },
    });
    browser = await launchChromium();
    merchant = await onboardMerchant(stack);
    const endpoint = await http<{ secret: string }>(
      'POST',
      `${stack.urls.gateway}/v1/webhook-endpoints`,
      { url: receiver.url },
      { authorization: `Bearer ${merchant.apiKey}`, 'idempotency-key': randomUUID() },
    );
    expect(endpoint.status).toBe(201);
    receiver.secret = endpoint.body.secret;
    // The approved payment's first webhook fails: its endpoint needs attention.
    receiver.failNextRequests(1);
    approved = await pay();
    const decline = ACQUIRER_TEST_CARDS.find((c) => c.behaviour.declineCode === 'DO_NOT_HONOR')!;
    declined = await pay({ cardNumber: decline.pan, cardType: decline.cardType });
    await eventually(
      () => Promise.resolve(receiver.received),
      (received) => received.some((r) => r.status === 500),
      20_000,
    );
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stack?.close();
    await receiver.stop();
  });

  it('refuses the console and the admin API without the credential', async () => {
    const anonymous = await browser.newContext();
    const stranger = await anonymous.newPage();
    await stranger.goto(`${stack.urls.gateway}/console`);
    expect(new URL(stranger.url()).pathname).toBe('/console/login');
    await stranger.getByRole('button', { name: 'Sign in' }).waitFor();
    const answer = await stranger.evaluate(async () => {
      const response = await fetch('/v1/admin/payments');
      return { status: response.status, body: (await response.json()) as { code: string } };
    });
    expect(answer).toEqual({
      status: 401,
      body: expect.objectContaining({ code: 'unauthenticated' }),
    });
    const asset = await http('GET', `${stack.urls.gateway}/console/assets/nope.js`);
    expect(asset.status).toBe(401);

    await stranger.fill('#key', 'not-the-admin-key');
    await stranger.getByRole('button', { name: 'Sign in' }).click();
    await stranger.getByRole('alert').waitFor();
    expect(await stranger.getByRole('alert').innerText()).toContain('not the admin key');
    expect(await anonymous.cookies()).toEqual([]);
    await anonymous.close();
  });

  it('logs in with the admin key and finds a demo payment by its order id', async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.goto(`${stack.urls.gateway}/console/login`);
    await shoot('login');
    await page.fill('#key', stack.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/console(#.*)?$/);
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'psp_console', httpOnly: true, sameSite: 'Strict' });

    await page.getByRole('heading', { name: 'Payments' }).waitFor();
    await page.locator(`tr[data-payment-id="${declined.id}"]`).waitFor();
    await shoot('payments');
    await page.fill('input[name="orderId"]', approved.orderId);
    await page.getByRole('button', { name: 'Search' }).click();
    // The unfiltered list is on screen until the search answers: wait for the other payment to go.
    await page.locator(`tr[data-payment-id="${declined.id}"]`).waitFor({ state: 'detached' });
    await page.locator(`tr[data-payment-id="${approved.id}"]`).waitFor();
    expect(await page.locator('tbody tr[data-payment-id]').count()).toBe(1);
    await page.getByRole('link', { name: approved.orderId }).click();
    await page.getByRole('heading', { name: new RegExp(`Order ${approved.orderId}`) }).waitFor();
  });

  it("shows the payment's attempt on a timeline against the PATCH deadline", async () => {
    const timeline = page.locator('svg.timeline');
    await timeline.waitFor();
    const text = await timeline.textContent();
    expect(text).toContain('PATCH deadline 32.00 s');
    expect(text).toContain('callback received and acked');
    expect(text).toMatch(/authorize sent to [a-z0-9-]+/);
    expect(text).toContain('acquirer approved');
    expect(text).toContain('PATCH acknowledged by MobilePay');
    expect(text).toContain('MobilePay accepted: succeeded');
    const body = await page.locator('main').innerText();
    expect(body).toContain('129.95 DKK');
    expect(body).toContain('PATCH_AUTHORIZATION_ATTEMPT');
    // The masked PAN is the only card data on the page.
    expect(body).toMatch(/\d{6}\*+\d{4}/);
    await shoot('payment');
  });

  it('resolves the failing webhook endpoint from Needs attention', async () => {
    await page.getByRole('link', { name: 'Needs attention' }).click();
    const section = page.locator('[data-kind="failing_webhook_endpoint"]');
    // The test database is shared with other suites: their endpoints may be listed too.
    const ours = section.locator('tr.attention-item', { hasText: receiver.url });
    await ours.waitFor();
    await shoot('attention');
    const before = receiver.received.length;
    await ours.getByRole('button', { name: 'Retry now' }).click();
    await ours.waitFor({ state: 'detached', timeout: 20_000 });
    const retried = receiver.received.slice(before);
    expect(retried.some((r) => r.status === 200 && r.signatureValid)).toBe(true);
    await shoot('attention-resolved');
  });

  it('redelivers a webhook from the payment page and shows the new delivery', async () => {
    await page.goto(`${stack.urls.gateway}/console#/payments/${approved.id}`);
    const event = page.locator('article.event[data-event-type="payment.authorized"]');
    await event.waitFor();
    expect(await event.locator('tr.delivery').count()).toBe(1);
    const before = receiver.ofType('payment.authorized', approved.id).length;
    await event.getByRole('button', { name: 'Redeliver' }).click();
    const manual = event.locator('tr.delivery[data-manual="true"]');
    await manual.waitFor();
    await manual.getByText('SUCCEEDED').waitFor({ timeout: 20_000 });
    expect(receiver.ofType('payment.authorized', approved.id).length).toBe(before + 1);
    await shoot('payment-redelivered');
  });

  it('draws the overview charts from the service’s own data', async () => {
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.locator('.chart canvas').nth(4).waitFor();
    expect(await page.locator('.chart canvas').count()).toBe(5);
    const titles = await page.locator('.u-title').allInnerTexts();
    expect(titles).toEqual([
      'Callbacks per second',
      'Approval rate per acquirer',
      'Callback ack latency',
      'Callback → final PATCH against the deadline',
      'Queue depth (waiting, active, delayed)',
    ]);
    const overview = await page.evaluate(async () => {
      const response = await fetch('/v1/admin/overview');
      return (await response.json()) as {
        callbacksPerSecond: number[];
        approvalRate: Record<string, (number | null)[]>;
        ackLatency: { p99Ms: (number | null)[] };
        callbackToPatch: { p99Ms: (number | null)[] };
      };
    });
    expect(overview.callbacksPerSecond.reduce((a, b) => a + b, 0) * 60).toBeGreaterThanOrEqual(2);
    expect(Object.keys(overview.approvalRate).length).toBeGreaterThan(0);
    expect(overview.ackLatency.p99Ms.some((v) => v !== null)).toBe(true);
    expect(overview.callbackToPatch.p99Ms.some((v) => v !== null && v < 32_000)).toBe(true);
    await shoot('overview');
  });

  it('creates an API key shown once, and revokes it', async () => {
    await page.getByRole('link', { name: 'Merchants' }).click();
    const card = page.locator(`article[data-merchant-id="${merchant.id}"]`);
    await card.waitFor();
    expect(await card.innerText()).toContain('onboarded');
    await card.locator('input[name="label"]').fill('console test');
    await card.getByRole('button', { name: 'Create API key' }).click();
    const secret = await page.locator('.secret code').innerText();
    expect(secret).toMatch(/^psk_/);
    const works = await http('GET', `${stack.urls.gateway}/v1/merchant`, undefined, {
      authorization: `Bearer ${secret}`,
    });
    expect(works.status).toBe(200);
    await shoot('merchants');

    page.once('dialog', (dialog) => void dialog.accept());
    const row = card.locator('tr', { hasText: 'console test' });
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText(/revoked/).waitFor();
    const refused = await http('GET', `${stack.urls.gateway}/v1/merchant`, undefined, {
      authorization: `Bearer ${secret}`,
    });
    expect(refused.status).toBe(401);
  });

  it('refuses a state-changing request with the session cookie but without its CSRF token', async () => {
    const [cookie] = await context.cookies();
    const forged = await http<{ code: string }>(
      'POST',
      `${stack.urls.gateway}/v1/admin/attention/retry_webhooks/${randomUUID()}`,
      undefined,
      { cookie: `${cookie.name}=${cookie.value}` },
    );
    expect(forged).toMatchObject({ status: 403, body: { code: 'csrf_failed' } });
    const read = await http('GET', `${stack.urls.gateway}/v1/admin/attention`, undefined, {
      cookie: `${cookie.name}=${cookie.value}`,
    });
    expect(read.status).toBe(200);
  });

  it('logs out', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/console\/login$/);
    expect(await context.cookies()).toEqual([]);
    await page.goto(`${stack.urls.gateway}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/login');
  });
});
