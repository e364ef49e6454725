import { randomUUID } from 'node:crypto';
import { Secret } from '@app/config';
import { PosApiError, PosClient, PosTokenProvider } from '@app/pos';
import { eventually } from '../support/eventually';
import type { RunningSandbox } from '../../apps/sandbox/src/sandbox.bootstrap';
import { type Json, SandboxClient, sleep, startTestSandbox } from './helpers/sandbox-harness';

const POS_CLIENT = { id: 'pos-integrator', secret: 'pos-integrator-secret' };
const VAT = 'DK11102248';
const USER = '+4520031801';
const PARTIAL_CAPTURE_USER = '+4520031805';
const LOYALTY_USER = '+45 20031804';
const POLL_DELAY_MS = 150;
/** How long a refund stays Initiated: ample time for the read right after creating it. */
const REFUND_RESERVE_MS = 1_000;
/** The throttling test's poll delay (MobilePay's own): two polls sent together fall inside it. */
const THROTTLE_POLL_DELAY_MS = 1_000;

function posClient(url: string, overrides: { merchantLockedTokens?: boolean } = {}): PosClient {
  const tokens = new PosTokenProvider({
    authUrl: `${url}/integrator-authentication`,
    clientId: POS_CLIENT.id,
    clientSecret: new Secret(POS_CLIENT.secret),
    ibmClientId: 'ibm-app',
    timeoutMs: 5_000,
    refreshMarginMs: 60_000,
  });
  return new PosClient(
    {
      apiUrl: url,
      ibmClientId: 'ibm-app',
      clientSystemVersion: '1.2.3',
      merchantLockedTokens: overrides.merchantLockedTokens ?? false,
      writeTimeoutMs: 5_000,
      readTimeoutMs: 5_000,
      retries: 2,
      retryDelayMs: 20,
      maxRetryAfterMs: 2_000,
    },
    tokens,
  );
}

async function errorOf(promise: Promise<unknown>): Promise<PosApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PosApiError);
  return error as PosApiError;
}

describe('sandbox: the MobilePay PoS v10 simulator', () => {
  let sandbox: RunningSandbox;
  let http: SandboxClient;
  let pos: PosClient;
  const ctx = { merchantVat: VAT };
  let storeId: string;

  const user = (action: string, body: Json) =>
    http.call('POST', `/pos/app/usersimulation/${action}`, body);
  const inspect = async (paymentId: string): Promise<Json> =>
    (await http.call('GET', `/sandbox/pos/v1/payments/${paymentId}`)).body;

  /** A fresh point of sale with its own beacon, so every test starts on an idle register. */
  async function newPos(
    extra: Record<string, unknown> = {},
    on: { pos: PosClient; storeId: string } = { pos, storeId },
  ) {
    const posId = await on.pos.createPointOfSale(
      ctx,
      {
        merchantPosId: `till-${randomUUID().slice(0, 8)}`,
        storeId: on.storeId,
        name: 'Kasse 1',
        supportedBeaconTypes: ['QR', 'Bluetooth'],
        ...extra,
      },
      randomUUID(),
    );
    const { beaconId } = await on.pos.getPointOfSale(ctx, posId);
    return { posId, beaconId };
  }

  const initiate = (posId: string, amount = 30n, key = randomUUID(), client = pos) =>
    client.initiatePayment(
      ctx,
      {
        posId,
        orderId: `o-${randomUUID().slice(0, 8)}`,
        amount,
        currencyCode: 'DKK',
        plannedCaptureDelay: 'None',
      },
      key,
    );

  /** Waits out the poll delay so a GET is never throttled. */
  const status = async (paymentId: string) => {
    await sleep(POLL_DELAY_MS);
    return pos.getPayment(ctx, paymentId);
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox({
      SANDBOX_POS_CLIENTS: `${POS_CLIENT.id}=${POS_CLIENT.secret}`,
      SANDBOX_POS_POLL_DELAY_MS: String(POLL_DELAY_MS),
      SANDBOX_POS_REFUND_RESERVE_MS: String(REFUND_RESERVE_MS),
    });
    http = new SandboxClient(sandbox.url);
    pos = posClient(sandbox.url);
    [storeId] = await pos.queryStores(ctx);
  });

  afterAll(() => sandbox.close());

  describe('integrator authentication', () => {
    const token = (authorization: string, form: string) =>
      fetch(`${sandbox.url}/integrator-authentication/connect/token`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      });
    const basic = (id: string, secret: string) =>
      `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

    it('issues client-credentials tokens, merchant-locked on request', async () => {
      const ok = await token(
        basic(POS_CLIENT.id, POS_CLIENT.secret),
        'grant_type=client_credentials',
      );
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ expires_in: 3700, token_type: 'Bearer' });
      expect(
        (await token(basic(POS_CLIENT.id, 'wrong'), 'grant_type=client_credentials')).status,
      ).toBe(401);
      expect(
        (await token(basic(POS_CLIENT.id, POS_CLIENT.secret), 'grant_type=password')).status,
      ).toBe(400);
      const badVat = await token(
        basic(POS_CLIENT.id, POS_CLIENT.secret),
        'grant_type=client_credentials&merchant_vat=SE11102248',
      );
      expect(badVat.status).toBe(400);

      const locked = posClient(sandbox.url, { merchantLockedTokens: true });
      await expect(locked.queryStores(ctx)).resolves.toEqual([storeId]);
    });

    it('refuses calls without a token, client version or merchant with the documented codes', async () => {
      const { access_token: accessToken } = (await (
        await token(basic(POS_CLIENT.id, POS_CLIENT.secret), 'grant_type=client_credentials')
      ).json()) as { access_token: string };
      const call = (headers: Record<string, string>) =>
        http.call('GET', '/pos/v10/stores', undefined, headers);
      const full = {
        authorization: `Bearer ${accessToken}`,
        'x-ibm-client-id': 'ibm-app',
        'x-mobilepay-client-system-version': '1.0.0',
        'x-mobilepay-merchant-vat-number': VAT,
      };
      expect((await call(full)).status).toBe(200);
      expect((await call({ ...full, authorization: 'Bearer nope' })).status).toBe(401);
      const { 'x-mobilepay-client-system-version': _v, ...noVersion } = full;
      expect((await call(noVersion)).body.code).toBe('1153');
      expect((await call({ ...full, 'x-mobilepay-client-system-version': '1.0' })).body.code).toBe(
        '1161',
      );
      const { 'x-mobilepay-merchant-vat-number': _vat, ...noVat } = full;
      expect((await call(noVat)).body.code).toBe('1151');
      expect((await call({ ...full, 'x-mobilepay-merchant-vat-number': 'DK123' })).body.code).toBe(
        '1159',
      );
    });
  });

  describe('stores and points of sale', () => {
    it('looks up the merchant’s stores', async () => {
      const store = await pos.getStore(ctx, storeId);
      expect(store).toMatchObject({ storeId, merchantBrandId: expect.stringMatching(/^POSDK/) });
      const { merchantBrandId, merchantLocationId } = store;
      await expect(pos.queryStores(ctx, { merchantBrandId, merchantLocationId })).resolves.toEqual([
        storeId,
      ]);
    });

    it('creates points of sale idempotently and finds them by store, beacon and merchantPosId', async () => {
      const beaconId = String(Date.now()).padStart(15, '1').slice(-15);
      const body = {
        merchantPosId: `till-${randomUUID().slice(0, 8)}`,
        storeId,
        name: 'Kasse 2',
        beaconId,
        supportedBeaconTypes: ['NFC' as const],
      };
      const key = randomUUID();
      const posId = await pos.createPointOfSale(ctx, body, key);
      await expect(pos.createPointOfSale(ctx, body, key)).resolves.toBe(posId);
      expect(
        (await errorOf(pos.createPointOfSale(ctx, { ...body, name: 'Other' }, key))).code,
      ).toBe('1306');

      await expect(pos.getPointOfSale(ctx, posId)).resolves.toMatchObject({
        beaconId,
        name: 'Kasse 2',
      });
      await expect(pos.queryPointsOfSale(ctx, { beaconId })).resolves.toEqual([posId]);
      await expect(
        pos.queryPointsOfSale(ctx, { merchantPosId: body.merchantPosId }),
      ).resolves.toEqual([posId]);
      expect(await pos.queryPointsOfSale(ctx, { storeId })).toContain(posId);

      const duplicate = (extra: object) =>
        pos.createPointOfSale(ctx, { ...body, ...extra }, randomUUID());
      expect((await errorOf(duplicate({ beaconId: null }))).code).toBe('1200');
      expect((await errorOf(duplicate({ merchantPosId: 'another' }))).code).toBe('1202');
      expect((await errorOf(duplicate({ merchantPosId: 'x', beaconId: '12345' }))).code).toBe(
        '1100',
      );
      expect(
        (await errorOf(duplicate({ merchantPosId: 'y', beaconId: null, storeId: randomUUID() })))
          .code,
      ).toBe('1002');

      await pos.deletePointOfSale(ctx, posId);
      expect((await errorOf(pos.getPointOfSale(ctx, posId))).status).toBe(404);
      // The beacon and merchantPosId are free again.
      await expect(pos.createPointOfSale(ctx, body, randomUUID())).resolves.toEqual(
        expect.any(String),
      );
    });

    it('generates a GUID beacon when none is given', async () => {
      const { beaconId } = await newPos();
      expect(beaconId).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('payments', () => {
    it('payment flow after check-in: issued at once, reserved on accept, captured exactly', async () => {
      const { posId, beaconId } = await newPos();
      await user('checkin', { beaconId, phoneNumber: USER });
      await expect(pos.getCheckIn(ctx, posId)).resolves.toMatchObject({ isUserCheckedIn: true });
      const paymentId = await initiate(posId, 30n);
      expect(await status(paymentId)).toMatchObject({ status: 'IssuedToUser', amount: 30n });
      expect((await user('acceptpayment', { beaconId, phoneNumber: USER })).status).toBe(200);
      const reserved = await status(paymentId);
      expect(reserved).toMatchObject({ status: 'Reserved', partialCapturePossible: false });
      await pos.capturePayment(ctx, paymentId, 30n, 'DKK');
      const payment = await inspect(paymentId);
      expect(payment).toMatchObject({ status: 'Captured', capturedAmount: '30' });
      expect((payment.history as { status: string }[]).map((h) => h.status)).toEqual([
        'IssuedToUser',
        'Reserved',
        'Captured',
      ]);
    });

    it('payment flow before check-in: Initiated until a user checks in', async () => {
      const { posId, beaconId } = await newPos();
      const paymentId = await initiate(posId);
      expect((await status(paymentId)).status).toBe('Initiated');
      await user('checkin', { beaconId, phoneNumber: USER });
      expect((await status(paymentId)).status).toBe('IssuedToUser');
    });

    it('prepared flow: Prepared, Paired with loyalty ids, ready with the amount, reserved', async () => {
      const { posId, beaconId } = await newPos();
      const paymentId = await pos.preparePayment(ctx, { posId, orderId: 'loyal-1' }, randomUUID());
      expect(await status(paymentId)).toMatchObject({ status: 'Prepared', amount: null });
      await user('checkin', { beaconId, phoneNumber: LOYALTY_USER });
      expect(await status(paymentId)).toMatchObject({ status: 'Paired', loyaltyIds: ['123456'] });
      await pos.readyPayment(ctx, paymentId, {
        amount: 9_995n,
        currencyCode: 'EUR',
        plannedCaptureDelay: 'None',
      });
      expect(await status(paymentId)).toMatchObject({
        status: 'IssuedToUser',
        amount: 9_995n,
        currencyCode: 'EUR',
      });
      expect(
        (
          await errorOf(
            pos.readyPayment(ctx, paymentId, {
              amount: 1n,
              currencyCode: 'EUR',
              plannedCaptureDelay: 'None',
            }),
          )
        ).code,
      ).toBe('1303');
      await user('acceptpayment', { beaconId, phoneNumber: '+4520031804' });
      expect((await status(paymentId)).status).toBe('Reserved');
    });

    it('one active payment per point of sale (1301); found by order id and cancelled, the next one starts', async () => {
      const { posId } = await newPos();
      const first = await initiate(posId);
      const error = await errorOf(initiate(posId));
      expect(error).toMatchObject({ status: 409, code: '1301', transient: false });
      const orderId = (await inspect(first)).orderId as string;
      await expect(pos.queryPayments(ctx, { posId, orderId })).resolves.toEqual([first]);
      await pos.cancelPayment(ctx, first);
      await pos.cancelPayment(ctx, first); // naturally idempotent
      expect((await status(first)).status).toBe('CancelledByClient');
      await expect(initiate(posId)).resolves.toEqual(expect.any(String));
    });

    it('the same idempotency key returns the same payment; with another body it is refused (1306)', async () => {
      const { posId } = await newPos();
      const key = randomUUID();
      const body = {
        posId,
        orderId: 'same',
        amount: 100n,
        currencyCode: 'DKK' as const,
        plannedCaptureDelay: 'None' as const,
      };
      const paymentId = await pos.initiatePayment(ctx, body, key);
      await expect(pos.initiatePayment(ctx, body, key)).resolves.toBe(paymentId);
      expect((await errorOf(pos.initiatePayment(ctx, { ...body, amount: 200n }, key))).code).toBe(
        '1306',
      );
    });

    it('a lost answer is retried with the same key and makes no second payment', async () => {
      const { posId } = await newPos();
      await http.call('POST', '/sandbox/pos/v1/faults', {
        operation: 'initiate',
        when: 'after',
        status: 503,
      });
      const paymentId = await initiate(posId);
      const all = await http.call<{ posId: string; paymentId: string }[]>(
        'GET',
        `/sandbox/pos/v1/merchants/${VAT}/payments`,
      );
      const onPos = all.body.filter((p) => p.posId === posId);
      expect(onPos.map((p) => p.paymentId)).toEqual([paymentId]);
    });

    it('cancel flows: by the user while issued, by the client when reserved, never after capture', async () => {
      const { posId, beaconId } = await newPos();
      await user('checkin', { beaconId, phoneNumber: USER });
      const byUser = await initiate(posId);
      await user('cancelpaymentbyuser', { beaconId });
      expect((await status(byUser)).status).toBe('CancelledByUser');

      await user('checkin', { beaconId, phoneNumber: USER });
      const reserved = await initiate(posId);
      await user('acceptpayment', { beaconId, phoneNumber: USER });
      await pos.cancelPayment(ctx, reserved);
      expect((await status(reserved)).status).toBe('CancelledByClient');

      await user('checkin', { beaconId, phoneNumber: USER });
      const captured = await initiate(posId);
      await user('acceptpayment', { beaconId, phoneNumber: USER });
      await pos.capturePayment(ctx, captured, 30n, 'DKK');
      expect((await errorOf(pos.cancelPayment(ctx, captured))).code).toBe('1300');
    });

    it('partial capture only when partialCapturePossible; never more than reserved', async () => {
      const { posId, beaconId } = await newPos();
      await user('checkin', { beaconId, phoneNumber: USER });
      const full = await initiate(posId, 1_000n);
      await user('acceptpayment', { beaconId, phoneNumber: USER });
      expect((await errorOf(pos.capturePayment(ctx, full, 500n, 'DKK'))).code).toBe('1308');
      expect((await errorOf(pos.capturePayment(ctx, full, 1_001n, 'DKK'))).code).toBe('1305');
      await pos.cancelPayment(ctx, full);

      await user('checkin', { beaconId, phoneNumber: PARTIAL_CAPTURE_USER });
      const partial = await initiate(posId, 1_000n);
      await user('acceptpayment', { beaconId, phoneNumber: PARTIAL_CAPTURE_USER });
      expect((await status(partial)).partialCapturePossible).toBe(true);
      await pos.capturePayment(ctx, partial, 333n, 'DKK');
      await pos.capturePayment(ctx, partial, 333n, 'DKK'); // a retried capture
      expect((await errorOf(pos.capturePayment(ctx, partial, 334n, 'DKK'))).code).toBe('1307');
      expect((await inspect(partial)).capturedAmount).toBe('333');
    });

    it('MobilePay rejects and expires payments (sandbox controls)', async () => {
      const { posId } = await newPos();
      const rejected = await initiate(posId);
      await http.call('POST', `/sandbox/pos/v1/payments/${rejected}/reject`);
      expect((await status(rejected)).status).toBe('CancelledByMobilePay');
      const expired = await initiate(posId);
      await http.call('POST', `/sandbox/pos/v1/payments/${expired}/expire`);
      expect((await status(expired)).status).toBe('CancelledByMobilePay');
    });

    it('throttles polls that come sooner than pollDelayInMs with 429 and Retry-After', async () => {
      // Its own sandbox with a poll delay far above scheduling noise, and both polls sent at once:
      // whichever the simulator serves second is too soon unless the two are ~1 s apart.
      const strict = await startTestSandbox({
        SANDBOX_POS_CLIENTS: `${POS_CLIENT.id}=${POS_CLIENT.secret}`,
        SANDBOX_POS_POLL_DELAY_MS: String(THROTTLE_POLL_DELAY_MS),
      });
      try {
        const strictPos = posClient(strict.url);
        const [strictStoreId] = await strictPos.queryStores(ctx);
        const { posId } = await newPos({}, { pos: strictPos, storeId: strictStoreId });
        const paymentId = await initiate(posId, 30n, randomUUID(), strictPos);
        const poll = () => strictPos.getPayment(ctx, paymentId, 'poll');
        const polls = await Promise.allSettled([poll(), poll()]);
        const served = polls.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []));
        const refused = polls.flatMap((p) =>
          p.status === 'rejected' ? [p.reason as unknown] : [],
        );
        expect(served).toHaveLength(1);
        expect(served[0].pollDelayInMs).toBe(THROTTLE_POLL_DELAY_MS);
        expect(refused).toHaveLength(1);
        expect(refused[0]).toBeInstanceOf(PosApiError);
        expect(refused[0]).toMatchObject({ status: 429, transient: true, retryAfterMs: 1000 });
        const view = await new SandboxClient(strict.url).call(
          'GET',
          `/sandbox/pos/v1/payments/${paymentId}`,
        );
        expect(view.body.throttled).toBe(1);
      } finally {
        await strict.close();
      }
    }, 20_000);
  });

  describe('refunds', () => {
    async function capturedPayment(amount: bigint) {
      const { posId, beaconId } = await newPos();
      await user('checkin', { beaconId, phoneNumber: USER });
      const paymentId = await initiate(posId, amount);
      await user('acceptpayment', { beaconId, phoneNumber: USER });
      await pos.capturePayment(ctx, paymentId, amount, 'DKK');
      return paymentId;
    }
    const refund = (paymentId: string, amount: bigint, key = randomUUID()) =>
      pos.createRefund(
        ctx,
        { paymentId, refundOrderId: `r-${randomUUID().slice(0, 8)}`, amount, currencyCode: 'DKK' },
        key,
      );

    it('refunds up to the captured amount, reserving then capturing or cancelling', async () => {
      const paymentId = await capturedPayment(1_000n);
      const first = await refund(paymentId, 600n);
      expect((await pos.getRefund(ctx, first)).status).toBe('Initiated');
      expect((await errorOf(refund(paymentId, 401n))).code).toBe('1367');
      // Each read waits out the poll delay, so none is throttled.
      const later = await eventually(
        async () => {
          await sleep(POLL_DELAY_MS);
          return pos.getRefund(ctx, first);
        },
        (r) => r.status !== 'Initiated',
      );
      expect(later).toMatchObject({ status: 'Reserved', amount: 600n });
      await pos.captureRefund(ctx, first);
      await pos.captureRefund(ctx, first);
      expect((await errorOf(pos.cancelRefund(ctx, first))).code).toBe('1352');

      const second = await refund(paymentId, 400n);
      await pos.cancelRefund(ctx, second);
      const third = await refund(paymentId, 400n);
      await expect(pos.queryRefunds(ctx, paymentId)).resolves.toEqual([first, second, third]);
      expect((await errorOf(pos.captureRefund(ctx, second))).code).toBe('1351');
    }, 20_000);

    it('refuses refunds beyond the store balance (1368) and of payments too old (1366)', async () => {
      const paymentId = await capturedPayment(1_000n);
      const limit = (amount: number | null) =>
        http.call('POST', `/sandbox/pos/v1/stores/${storeId}/refund-balance`, { amount });
      await limit(300);
      try {
        expect((await errorOf(refund(paymentId, 301n))).code).toBe('1368');
        const within = await refund(paymentId, 300n);
        // The balance is spent: even 1 øre more is refused, until the refund is cancelled.
        expect((await errorOf(refund(paymentId, 1n))).code).toBe('1368');
        await pos.cancelRefund(ctx, within);
        await expect(refund(paymentId, 300n)).resolves.toEqual(expect.any(String));
      } finally {
        await limit(null);
      }

      const old = await capturedPayment(500n);
      await http.call('POST', `/sandbox/pos/v1/payments/${old}/backdate`, {
        ms: 91 * 24 * 60 * 60_000,
      });
      expect((await errorOf(refund(old, 100n))).code).toBe('1366');
    });

    it('refuses refunds of payments that are not captured (1354)', async () => {
      const { posId } = await newPos();
      const paymentId = await initiate(posId);
      expect((await errorOf(refund(paymentId, 1n))).code).toBe('1354');
    });
  });
});
