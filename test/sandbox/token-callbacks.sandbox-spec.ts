import type { RunningSandbox } from '../../apps/sandbox/src/sandbox.bootstrap';
import { luhnValid } from '../../apps/sandbox/src/mobilepay/payment-rules';
import { CallbackReceiver } from './helpers/callback-receiver';
import { PspFlow } from './helpers/psp-flow';
import {
  type Json,
  onboard,
  rsaKeyPair,
  SandboxClient,
  startTestSandbox,
} from './helpers/sandbox-harness';
import { specErrors } from './helpers/spec-schema';

const RETRY_INTERVAL_MS = 400;
/** The fail-over test's retry interval, and the (machine-speed tolerant) bound on "at once". */
const FAIL_OVER_RETRY_INTERVAL_MS = 10_000;
const FAIL_OVER_BOUND_MS = 3_000;
const FUTURE_YEAR = (new Date().getUTCFullYear() + 2) % 100;

/** The spec's payloads have no authorizationAttemptId (the guide's examples do). */
const withoutAttemptId = ({ authorizationAttemptId: _id, ...rest }: Json): Json => rest;
const cryptogramBytes = (value: unknown) => Buffer.from(String(value), 'base64').length;

describe('sandbox: token callbacks (VTS, MC S4C) and the 501 fail-over', () => {
  const { publicKeyPem, privateKey } = rsaKeyPair();
  const psp = new CallbackReceiver(privateKey);
  let sandbox: RunningSandbox;
  let flow: PspFlow;

  const tokenizedPayment = () => flow.newPayment({ allowedCardTypes: flow.tokenizedCardTypes() });

  beforeAll(async () => {
    await psp.start();
    sandbox = await startTestSandbox({
      SANDBOX_CALLBACK_RETRY_INTERVAL_MS: String(RETRY_INTERVAL_MS),
      SANDBOX_CALLBACK_RETRY_WINDOW_MS: '1500',
    });
    const client = new SandboxClient(sandbox.url);
    flow = new PspFlow(client, await onboard(client, publicKeyPem), psp);
  });

  afterAll(async () => {
    await sandbox.close();
    await psp.stop();
  });

  beforeEach(() => psp.respondWith());

  it('sends a Visa token callback in the VisaTokenCallbackPayload shape, and no card data', async () => {
    const paymentId = await tokenizedPayment();
    const swipe = await flow.swipe(paymentId, { cardType: 'VISA-CREDIT' });
    expect(swipe.body).toMatchObject({
      callbackStatus: 'acked',
      callbackKind: 'token',
      failedOver: false,
    });
    const [callback, ...others] = flow.callbacksOf(paymentId);
    expect(others).toEqual([]);
    expect(callback.path).toBe('/callbacks/token/VISA-CREDIT');
    const body: Json = callback.body;
    expect(specErrors('VisaTokenCallbackPayload', withoutAttemptId(body))).toEqual([]);
    // The check bites: the spec's schema has no authorizationAttemptId.
    expect(specErrors('VisaTokenCallbackPayload', body)).not.toEqual([]);
    expect(body).toMatchObject({
      paymentId,
      authorizationAttemptId: swipe.body.authorizationAttemptId,
      cardType: 'VISA-CREDIT',
      cardIssuedInCountryCode: 'DK',
      maskedCardNumber: '411111XXXXXX1111',
      tokenMethod: 'VTS',
      cardDataType: 'VTS',
      isDelegatedAuthentication: false,
      tokenData: {
        vPaymentDataID: expect.stringMatching(/^[0-9a-f]{32}$/),
        cryptogramInfo: { eci: '07' },
        paymentInstrument: { last4: '1111', paymentType: { cardBrand: 'VISA' } },
        tokenInfo: { expirationDate: { month: '12', year: expect.stringMatching(/^20\d\d$/) } },
      },
    });
    const { token, last4 } = body.tokenData.tokenInfo as { token: string; last4: string };
    expect(token).toMatch(/^4\d{15}$/);
    expect(luhnValid(token)).toBe(true);
    expect(last4).toBe(token.slice(-4));
    expect(cryptogramBytes(body.tokenData.cryptogramInfo.cryptogram)).toBe(20);
    expect(body.tokenData.paymentInstrument.paymentAccountReference).toMatch(/^V001[A-Z0-9]{25}$/);

    // Tokens and cryptograms never appear in clear in the inspection API.
    const view = await flow.inspect(paymentId);
    expect(JSON.stringify(view)).not.toContain(token);
    expect(JSON.stringify(view)).not.toContain(String(body.tokenData.cryptogramInfo.cryptogram));
    expect(view.attempts[0]).toMatchObject({
      callbackKind: 'token',
      failedOver: false,
      token: { tokenMethod: 'VTS', maskedToken: `${token.slice(0, 6)}******${last4}`, eci: '07' },
    });
    expect(
      (await flow.patch(paymentId, swipe.body.authorizationAttemptId, { succeeded: true })).status,
    ).toBe(204);
    expect((await flow.inspect(paymentId)).payment.status).toBe('AUTHORIZED');
  });

  it('honours cardIssuedInCountryCode and delegated authentication (ECI 05)', async () => {
    const paymentId = await tokenizedPayment();
    await flow.swipe(paymentId, {
      cardType: 'VISA-CREDIT',
      cardIssuedInCountryCode: 'FI',
      isDelegatedAuthentication: true,
    });
    const [callback] = flow.callbacksOf(paymentId);
    expect(callback.body).toMatchObject({
      cardIssuedInCountryCode: 'FI',
      isDelegatedAuthentication: true,
      tokenData: { cryptogramInfo: { eci: '05' } },
    });
  });

  it('sends a Mastercard token callback in the MC S4C shape', async () => {
    const paymentId = await tokenizedPayment();
    const swipe = await flow.swipe(paymentId, { cardType: 'MC-CREDIT' });
    const [callback] = flow.callbacksOf(paymentId);
    const body: Json = callback.body;
    expect(callback.path).toBe('/callbacks/token/MC-CREDIT');
    expect(specErrors('MastercardTokenCallbackPayload', withoutAttemptId(body))).toEqual([]);
    expect(body).toMatchObject({
      paymentId,
      authorizationAttemptId: swipe.body.authorizationAttemptId,
      cardType: 'MC-CREDIT',
      maskedCardNumber: '555555XXXXXX4444',
      tokenMethod: 'MC S4C',
      tokenData: {
        token: {
          tokenExpirationMonth: '12',
          paymentAccountReference: expect.stringMatching(/^5001/),
        },
        dynamicData: { dynamicDataType: 'CARD_APPLICATION_CRYPTOGRAM_SHORT_FORM' },
        eci: '02',
      },
    });
    expect(body).not.toHaveProperty('isDelegatedAuthentication');
    const paymentToken = body.tokenData.token.paymentToken as string;
    expect(paymentToken).toMatch(/^5\d{15}$/);
    expect(luhnValid(paymentToken)).toBe(true);
    expect(cryptogramBytes(body.tokenData.dynamicData.dynamicDataValue)).toBe(20);
  });

  it('fails over at once to the card-data callback when the PSP answers 501', async () => {
    // A retry interval far above any scheduling noise: "at once" is then a generous bound that a
    // fail-over waiting out a retry interval still cannot meet.
    const slowRetries = await startTestSandbox({
      SANDBOX_CALLBACK_RETRY_INTERVAL_MS: String(FAIL_OVER_RETRY_INTERVAL_MS),
      SANDBOX_CALLBACK_RETRY_WINDOW_MS: String(3 * FAIL_OVER_RETRY_INTERVAL_MS),
    });
    try {
      const client = new SandboxClient(slowRetries.url);
      const local = new PspFlow(client, await onboard(client, publicKeyPem), psp);
      const paymentId = await local.newPayment({ allowedCardTypes: local.tokenizedCardTypes() });
      psp.respondWith(501);
      const swipe = await local.swipe(paymentId, { cardType: 'VISA-CREDIT' });
      expect(swipe.body).toMatchObject({
        callbackStatus: 'acked',
        callbackKind: 'card-data',
        failedOver: true,
      });
      const [token, card, ...others] = local.callbacksOf(paymentId);
      expect(others).toEqual([]);
      expect(token.path).toBe('/callbacks/token/VISA-CREDIT');
      expect(card.path).toBe('/callbacks/card/VISA-CREDIT');
      expect(card.body.AuthorizationAttemptId).toBe(token.body.authorizationAttemptId);
      expect(card.at - token.at).toBeLessThan(FAIL_OVER_BOUND_MS);
      expect(psp.decrypt(card)).toContain('"cardNumber":4111111111111111,');
      const { attempts } = await local.inspect(paymentId);
      expect(attempts[0]).toMatchObject({ callbackKind: 'card-data', failedOver: true });
      const deliveries = attempts[0].deliveries as { kind: string; status: number }[];
      expect(deliveries.map((d) => [d.kind, d.status])).toEqual([
        ['token', 501],
        ['card-data', 200],
      ]);
    } finally {
      await slowRetries.close();
    }
  }, 30_000);

  it('retries a token callback answered 500 like any callback (no fail-over)', async () => {
    const paymentId = await tokenizedPayment();
    psp.respondWith(500);
    const swipe = await flow.swipe(paymentId, { cardType: 'MC-CREDIT' });
    expect(swipe.body).toMatchObject({ callbackKind: 'token', failedOver: false, deliveries: 2 });
    const callbacks = flow.callbacksOf(paymentId);
    expect(callbacks.map((c) => c.path)).toEqual([
      '/callbacks/token/MC-CREDIT',
      '/callbacks/token/MC-CREDIT',
    ]);
    expect(callbacks[1].raw).toBe(callbacks[0].raw);
    expect(callbacks[1].at - callbacks[0].at).toBeGreaterThanOrEqual(RETRY_INTERVAL_MS - 50);
  });

  it('sends card data for Dankort, for tokenize:false, and refuses tokenize:true without a token URL', async () => {
    const dankortUrls = {
      name: 'DANKORT',
      encryptedPanCallbackUrl: `${psp.url}/card`,
      tokenCallbackUrl: `${psp.url}/token`,
    };
    const dankort = await flow.newPayment({ allowedCardTypes: [dankortUrls] });
    expect((await flow.swipe(dankort)).body).toMatchObject({
      callbackKind: 'card-data',
      cardType: 'DANKORT',
    });
    expect(flow.callbacksOf(dankort).map((c) => c.path)).toEqual(['/card']);
    expect(
      (await flow.swipe(await tokenizedPayment(), { cardType: 'DANKORT', tokenize: true })).status,
    ).toBe(400);

    const optedOut = await tokenizedPayment();
    const swipe = await flow.swipe(optedOut, { cardType: 'VISA-CREDIT', tokenize: false });
    expect(swipe.body).toMatchObject({ callbackKind: 'card-data', failedOver: false });
    const plain = await flow.newPayment();
    expect((await flow.swipe(plain, { cardType: 'VISA-CREDIT', tokenize: true })).status).toBe(400);
  });

  it('lets the acquirer judge a token as the card behind it', async () => {
    const authorize = async (paymentId: string, reference: string): Promise<Json> => {
      const body: Json = flow.callbacksOf(paymentId)[0].body;
      const card = {
        kind: 'network-token',
        token: body.tokenData.tokenInfo.token,
        expiryMonth: 12,
        expiryYear: FUTURE_YEAR,
        cryptogram: body.tokenData.cryptogramInfo.cryptogram,
        eci: body.tokenData.cryptogramInfo.eci,
        tokenMethod: 'VTS',
      };
      const request = {
        reference,
        merchantId: 'm1',
        amount: 1000,
        currency: 'DKK',
        cardType: 'VISA-CREDIT',
        card,
      };
      return (
        await flow.client.call('POST', '/acquirer/v1/authorizations', request, {
          'idempotency-key': reference,
        })
      ).body;
    };
    const softDecline = await tokenizedPayment();
    await flow.swipe(softDecline, { cardNumber: '4000000000003220' });
    expect((await authorize(softDecline, `tok-${softDecline}`)).status).toBe('SOFT_DECLINED');
    const ordinary = await tokenizedPayment();
    await flow.swipe(ordinary, { cardType: 'VISA-CREDIT' });
    expect((await authorize(ordinary, `tok-${ordinary}`)).status).toBe('APPROVED');
  });
});
