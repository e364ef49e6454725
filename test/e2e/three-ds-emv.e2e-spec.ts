import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { clearhausReference } from '../../libs/acquirers/src/clearhaus/clearhaus-authorization-params';
import { http } from '../../scripts/stack/http';
import {
  createPayment,
  onboardMerchant,
  waitForAttempt,
  waitForFinalPatch,
  type DemoMerchant,
} from '../../scripts/stack/scenario';
import type { Stack } from '../../scripts/stack/stack';
import { launchChromium } from '../support/browser';
import { startTestStack } from '../support/e2e-stack';
import { eventually } from '../support/eventually';
import { api, getPayment } from '../support/merchant-api';

jest.setTimeout(180_000);

/** Screenshots of the web view (gitignored). */
const SCREENSHOTS = resolve(__dirname, '../../test-output/three-ds');

const ENV = {
  ACQUIRER_ROUTES: 'DANKORT=nets-iso8583,*=clearhaus',
  CLEARHAUS_TIMEOUT_MS: '3000',
  THREE_DS_WINDOW_MS: '25000',
};

/** Luhn-valid Visa PANs whose last four select the 3dsecure.io sandbox cases. */
const CARDS = {
  frictionless22Method: '4000100005162003',
  frictionless21NoMethod: '4000100005171103',
  frictionless231: '4000100005143003',
  methodTimeout: '4000100005180203',
  attempted: '4000100005160023',
  frictionlessN: '4000100005180013',
  frictionlessR: '4000100005140033',
  dsTimeout: '4000100005170063',
  manual21: '4000100005141072',
  manualRange: '4000100005160072',
  autoPass22: '4000100005142070',
  autoFail21: '4000100005151071',
};

interface ClearhausRecord {
  id: string;
  reference: string | null;
  code: number;
  threeDSecure: { version: string; status: string } | null;
  threeDSecureMessage?: string;
}

interface ThreeDsRecord {
  acctNumber: string;
  messageVersion: string | null;
  methodInvoked: boolean;
  threeDSCompInd: string | null;
  aresTransStatus: string | null;
  challengeStarted: boolean;
  challenge: { transStatus: string; cancelled: boolean } | null;
  areq: Record<string, unknown> | null;
}

const codes = (attempt: { patches: { body: { succeeded: boolean; reasonCode?: number } }[] }) =>
  attempt.patches.map((p) => (p.body.succeeded ? 'succeeded' : p.body.reasonCode));

describe('EMV 3-D Secure through the 3dsecure.io simulator, re-authorized at Clearhaus', () => {
  let stack: Stack;
  let merchant: DemoMerchant;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  const clearhausRecords = async () =>
    (
      await http<{ authorizations: ClearhausRecord[] }>(
        'GET',
        `${stack.urls.sandbox}/clearhaus/_records`,
      )
    ).body.authorizations;
  const threeDsRecordOf = async (pan: string) =>
    (await http<ThreeDsRecord[]>('GET', `${stack.urls.sandbox}/3dsecure-io/_records`)).body
      .filter(
        (r) => r.acctNumber.endsWith(pan.slice(-4)) && r.acctNumber.startsWith(pan.slice(0, 6)),
      )
      .at(-1);

  /** Clearhaus answers 40416 for this card until 3-D Secure passed; waits for PATCH 1008. */
  async function softDeclined(pan: string) {
    await http('POST', `${stack.urls.sandbox}/clearhaus/_sca-required-cards`, { pan });
    const payment = await createPayment(stack, merchant, { allowedCardTypes: ['VISA-CREDIT'] });
    // Card data (the sandbox tokenizes Visa by default): the sandbox cases key on the PAN.
    const swiped = await http<{ authorizationAttemptId: string }>(
      'POST',
      `${stack.urls.sandbox}/sandbox/v1/payments/${payment.mobilePayPaymentId}/swipe`,
      { cardNumber: pan, cardType: 'VISA-CREDIT', tokenize: false },
    );
    expect(swiped.status).toBe(200);
    const attemptId = swiped.body.authorizationAttemptId;
    const attempt = await waitForAttempt(stack, payment.mobilePayPaymentId, attemptId, (a) =>
      a.patches.some((p) => p.body.reasonCode === 1008),
    );
    const url = attempt.patches.find((p) => p.body.reasonCode === 1008)!.body.threeDSecureUrl!;
    await http('POST', `${stack.urls.sandbox}/sandbox/v1/attempts/${attemptId}/open-3ds`);
    return { payment, attemptId, url };
  }

  /** The web view: opens the challenge URL; `inChallenge` acts in the ACS iframe. */
  async function webView(
    url: string,
    inChallenge?: (page: Page) => Promise<void>,
  ): Promise<{ finalUrl: string }> {
    const page = await browser.newPage({ viewport: { width: 412, height: 800 } });
    try {
      await page.goto(url);
      if (inChallenge) await inChallenge(page);
      await page.waitForURL(/done3ds\.html/, { timeout: 30_000 });
      return { finalUrl: page.url() };
    } catch (error) {
      // Where the web view got stuck, for the failure message.
      const frames = page.frames().map((f) => f.url());
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}\nat ${page.url()} frames ${frames.join(', ')}\n${(await page.content()).slice(0, 1500)}`,
        { cause: error },
      );
    } finally {
      await page.close();
    }
  }

  const reauthorization = async (attemptId: string) =>
    eventually(
      async () =>
        (await clearhausRecords()).find(
          (r) => r.reference === clearhausReference(`${attemptId}.3ds`),
        ),
      (r) => r !== undefined,
      15_000,
    );

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [stack, browser] = await Promise.all([
      startTestStack({ gateway: ENV, worker: ENV }),
      launchChromium(),
    ]);
    merchant = await onboardMerchant(stack);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('challenge approved: 3DS Method, CReq/CRes in the iframe, RReq carried to Clearhaus; capture on the 3DS authorization', async () => {
    const { payment, attemptId, url } = await softDeclined(CARDS.manual21);
    const { finalUrl } = await webView(url, async (page) => {
      const acs = page.frameLocator('iframe[name=challengeIframe]');
      await acs.locator('#acs-approve').waitFor({ timeout: 20_000 });
      await page.screenshot({ path: join(SCREENSHOTS, 'challenge-page.png'), fullPage: true });
      await acs.locator('#acs-approve').click();
    });
    expect(finalUrl).toBe(`${stack.urls.sandbox}/done3ds.html`);
    const attempt = await waitForFinalPatch(stack, payment.mobilePayPaymentId, attemptId);
    expect(codes(attempt)).toEqual([1008, 1009, 'succeeded']);
    expect(attempt).toMatchObject({ threeDs: { landedOnDone3ds: true } });

    const record = await threeDsRecordOf(CARDS.manual21);
    expect(record).toMatchObject({
      messageVersion: '2.1.0',
      methodInvoked: true,
      threeDSCompInd: 'Y',
      aresTransStatus: 'C',
      challengeStarted: true,
      challenge: { transStatus: 'Y', cancelled: false },
    });
    expect(record!.areq).toMatchObject({
      deviceChannel: '02',
      messageCategory: '01',
      browserJavascriptEnabled: true,
      purchaseAmount: '12995',
      purchaseCurrency: '208',
    });
    expect(record!.areq!.browserUserAgent).toMatch(/Chrom/);

    const reauth = await reauthorization(attemptId);
    expect(reauth).toMatchObject({
      code: 20000,
      threeDSecureMessage: 'rreq',
      threeDSecure: { version: '2.1.0', status: 'Y' },
    });
    await eventually(
      () => getPayment(stack, merchant, payment.id),
      (p) => p.status === 'AUTHORIZED',
    );
    const capture = await api(
      stack,
      merchant.apiKey,
      'POST',
      `/v1/payments/${payment.id}/captures`,
      {
        amount: 12_995,
      },
    );
    expect(capture).toMatchObject({ status: 201, body: { status: 'succeeded' } });
  });

  it.each([
    ['2.2.0 with the 3DS Method', CARDS.frictionless22Method, '2.2.0', 'Y', 'Y'],
    ['2.1.0 without a 3DS Method', CARDS.frictionless21NoMethod, '2.1.0', 'U', 'Y'],
    ['2.3.1', CARDS.frictionless231, '2.3.1', 'Y', 'Y'],
    ['3DS Method timeout (range: highest version)', CARDS.methodTimeout, '2.3.1', 'N', 'Y'],
    ['attempted (A)', CARDS.attempted, '2.3.1', 'Y', 'A'],
  ])(
    'frictionless %s: the ARes is carried to Clearhaus',
    async (_name, pan, version, compInd, status) => {
      const { payment, attemptId, url } = await softDeclined(pan);
      expect((await webView(url)).finalUrl).toBe(`${stack.urls.sandbox}/done3ds.html`);
      const attempt = await waitForFinalPatch(stack, payment.mobilePayPaymentId, attemptId);
      expect(codes(attempt)).toEqual([1008, 1009, 'succeeded']);
      expect(await threeDsRecordOf(pan)).toMatchObject({
        messageVersion: version,
        threeDSCompInd: compInd,
        aresTransStatus: status,
        challengeStarted: false,
      });
      expect(await reauthorization(attemptId)).toMatchObject({
        code: 20000,
        threeDSecureMessage: 'ares',
        threeDSecure: { version, status },
      });
    },
  );

  it.each([
    ['frictionless N', CARDS.frictionlessN, undefined],
    ['frictionless R', CARDS.frictionlessR, undefined],
    ['Directory Server timeout', CARDS.dsTimeout, undefined],
    ['automatic challenge failure', CARDS.autoFail21, undefined],
    ['challenge rejected by the cardholder', CARDS.manualRange, '#acs-reject'],
  ])('%s: PATCH 1000, done3ds, no re-authorization', async (_name, pan, button) => {
    const { payment, attemptId, url } = await softDeclined(pan);
    const { finalUrl } = await webView(
      url,
      button
        ? async (page) => {
            const acs = page.frameLocator('iframe[name=challengeIframe]');
            await acs.locator(button).click({ timeout: 20_000 });
          }
        : undefined,
    );
    expect(finalUrl).toBe(`${stack.urls.sandbox}/done3ds.html`);
    const attempt = await waitForFinalPatch(stack, payment.mobilePayPaymentId, attemptId);
    expect(codes(attempt)).toEqual([1008, 1000]);
    const reauth = (await clearhausRecords()).find(
      (r) => r.reference === clearhausReference(`${attemptId}.3ds`),
    );
    expect(reauth).toBeUndefined();
  });

  it('automatic challenge pass (2.2.0): RReq to Clearhaus', async () => {
    const { payment, attemptId, url } = await softDeclined(CARDS.autoPass22);
    await webView(url);
    const attempt = await waitForFinalPatch(stack, payment.mobilePayPaymentId, attemptId);
    expect(codes(attempt)).toEqual([1008, 1009, 'succeeded']);
    expect(await reauthorization(attemptId)).toMatchObject({
      threeDSecureMessage: 'rreq',
      threeDSecure: { version: '2.2.0', status: 'Y' },
    });
  });

  it('abandoned challenge: the window expires and PATCH 1000 follows', async () => {
    const { payment, attemptId, url } = await softDeclined(CARDS.manualRange);
    const page = await browser.newPage();
    try {
      await page.goto(url);
      await page
        .frameLocator('iframe[name=challengeIframe]')
        .locator('#acs-approve')
        .waitFor({ timeout: 20_000 });
      const attempt = await waitForFinalPatch(stack, payment.mobilePayPaymentId, attemptId, 60_000);
      expect(codes(attempt)).toEqual([1008, 1000]);
    } finally {
      await page.close();
    }
    expect(await threeDsRecordOf(CARDS.manualRange)).toMatchObject({
      challengeStarted: true,
      challenge: null,
    });
  });
});
