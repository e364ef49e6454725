import { randomUUID } from 'node:crypto';
import { onboardMerchant } from '../../scripts/stack/scenario';
import type { Stack } from '../../scripts/stack/stack';
import { startTestStack } from '../support/e2e-stack';
import { eventually } from '../support/eventually';
import { gaps, PosFlow, TEST_USERS } from '../support/pos-flow';

jest.setTimeout(120_000);

/** PoS docs: "Payment Flow Error Handling", "API Principles" (errors, idempotency, throttling). */
describe('in-store error handling (PoS v10) through gateway, worker and simulator', () => {
  let stack: Stack;
  let flow: PosFlow;

  beforeAll(async () => {
    const env = {
      POS_READ_TIMEOUT_MS: '3000',
      POS_RETRY_DELAY_MS: '50',
      POS_ORPHAN_AFTER_MS: '1500',
      JANITOR_INTERVAL_MS: '500',
      JANITOR_GRACE_MS: '1000',
    };
    stack = await startTestStack({ gateway: env, worker: env });
    flow = new PosFlow(stack, await onboardMerchant(stack));
  });

  afterEach(async () => {
    await flow?.sandbox('/sandbox/pos/v1/faults', 'DELETE');
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('a payment already active on the PoS (1301): the blocking payment is named, cancelled, and the next one starts', async () => {
    const pos = await flow.newPointOfSale();
    const first = await flow.startPayment(pos, { amount: 100, currency: 'DKK' });
    const second = await flow.startPayment(pos, { amount: 200, currency: 'DKK' });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({
      code: 'pos_payment_active',
      details: { mobilePayCode: '1301', activePaymentIds: [first.body.id] },
    });
    await flow.api('POST', `/payments/${first.body.id}/cancel`, {});
    const third = await flow.startPayment(pos, { amount: 200, currency: 'DKK' });
    expect(third).toMatchObject({ status: 201, body: { status: 'INITIATED' } });
  });

  it('a lost answer is retried with the same idempotency key: one payment at MobilePay', async () => {
    const pos = await flow.newPointOfSale();
    await flow.fault({ operation: 'initiate', when: 'after', status: 503 });
    const started = await flow.startPayment(pos, { amount: 100, currency: 'DKK' });
    expect(started).toMatchObject({ status: 201, body: { status: 'INITIATED' } });
    const onPos = await flow.simulatedOn(pos);
    expect(onPos.map((p) => p.paymentId)).toEqual([started.body.mobilePayPaymentId]);
    const log = await flow.faultLog();
    expect(log.filter((l) => l.operation === 'initiate')).toHaveLength(2);
  });

  it('MobilePay down past the retries: 502, and the merchant’s retry (same Idempotency-Key) resumes the same payment', async () => {
    const pos = await flow.newPointOfSale();
    await flow.fault({ operation: 'initiate', when: 'before', status: 500, times: 3 });
    const key = randomUUID();
    const body = { orderId: `o-${randomUUID().slice(0, 8)}`, amount: 100, currency: 'DKK' };
    const failed = await flow.startPayment(pos, body, key);
    expect(failed).toMatchObject({ status: 502, body: { code: 'mobilepay_unavailable' } });
    const retried = await flow.startPayment(pos, body, key);
    expect(retried).toMatchObject({ status: 201, body: { status: 'INITIATED' } });
    expect(await flow.simulatedOn(pos)).toHaveLength(1);
  });

  it('a payment whose start never got an answer is found by order id and cancelled, freeing the PoS', async () => {
    const pos = await flow.newPointOfSale();
    await flow.fault({ operation: 'initiate', when: 'after', status: 503, times: 3 });
    const lost = await flow.startPayment(pos, { amount: 100, currency: 'DKK' });
    expect(lost.status).toBe(502);
    const [orphan] = await flow.simulatedOn(pos);
    // The janitor may already have cancelled it on a slow machine.
    expect(['Initiated', 'CancelledByClient']).toContain(orphan.status);
    await eventually(
      () => flow.simulated(orphan.paymentId),
      (p) => p.status === 'CancelledByClient',
      15_000,
    );
    // MobilePay has the cancel; our record follows once its answer is stored.
    const ours = await eventually(
      () => flow.api('GET', `/payments?pointOfSaleId=${pos.id}`),
      (r) => r.body.data[0]?.status === 'CANCELLED_BY_CLIENT',
      5_000,
    );
    expect(ours.body.data[0]).toMatchObject({
      status: 'CANCELLED_BY_CLIENT',
      mobilePayPaymentId: orphan.paymentId,
    });
    expect((await flow.startPayment(pos, { amount: 100, currency: 'DKK' })).status).toBe(201);
  });

  it('a capture MobilePay does not answer is kept and delivered later (hanging reservations)', async () => {
    const pos = await flow.newPointOfSale();
    const payment = await flow.reservedPayment(pos, 500);
    await flow.fault({ operation: 'capture', when: 'before', status: 503, times: 3 });
    const pending = await flow.api('POST', `/payments/${payment.id}/capture`, {});
    expect(pending.status).toBe(200);
    expect(pending.body).toMatchObject({ status: 'RESERVED', pendingSettlement: 'CAPTURE' });
    // Meanwhile a cancel must not replace the merchant's decision to capture.
    const swap = await flow.api('POST', `/payments/${payment.id}/cancel`, {});
    expect(swap).toMatchObject({ status: 409, body: { code: 'invalid_payment_state' } });
    const captured = await flow.waitFor(payment.id, 'CAPTURED');
    expect(captured).toMatchObject({ capturedAmount: 500, pendingSettlement: null });
    expect((await flow.simulated(payment.mobilePayPaymentId)).status).toBe('Captured');
  });

  it('throttled polls (429) wait for Retry-After; polls never come faster than pollDelayInMs', async () => {
    const pos = await flow.newPointOfSale();
    const started = await flow.startPayment(pos, { amount: 100, currency: 'DKK' });
    const { mobilePayPaymentId } = started.body;
    await flow.fault({
      operation: 'getPayment',
      resourceId: mobilePayPaymentId,
      status: 429,
      retryAfterS: 3,
    });
    await eventually(
      () => flow.faultLog(),
      (log) => log.some((l) => l.resourceId === mobilePayPaymentId && l.fault),
    );
    await flow.user('checkin', { beaconId: pos.beaconId, phoneNumber: TEST_USERS.credit });
    await flow.waitFor(started.body.id, 'ISSUED_TO_USER');
    const log = (await flow.faultLog()).filter(
      (l) => l.operation === 'getPayment' && l.resourceId === mobilePayPaymentId,
    );
    // The throttled poll, then the next one no sooner than Retry-After (3 s).
    const throttledAt = log.findIndex((l) => l.fault === 'before');
    expect(log[throttledAt + 1].at - log[throttledAt].at).toBeGreaterThanOrEqual(2_990);
    const simulated = await flow.simulated(mobilePayPaymentId);
    expect(simulated.throttled).toBe(0);
    for (const gap of gaps(simulated.polls)) expect(gap).toBeGreaterThanOrEqual(995);
  });

  it('refunds MobilePay refuses — beyond the store balance (1368), a payment too old (1366): a clear 4xx, nothing held', async () => {
    const pos = await flow.newPointOfSale();
    const payment = await flow.reservedPayment(pos, 1_000);
    await flow.api('POST', `/payments/${payment.id}/capture`, {});
    const balance = (amount: number | null) =>
      flow.sandbox(`/sandbox/pos/v1/stores/${pos.storeId}/refund-balance`, 'POST', { amount });

    await balance(200);
    try {
      const refused = await flow.api('POST', `/payments/${payment.id}/refunds`, { amount: 300 });
      expect(refused).toMatchObject({
        status: 422,
        body: { code: 'amount_exceeds_available', details: { mobilePayCode: '1368' } },
      });
      // The refused refund holds nothing back: 200 can still be refunded.
      expect((await flow.api('GET', `/payments/${payment.id}`)).body).toMatchObject({
        refundedAmount: 0,
      });
      const within = await flow.api('POST', `/payments/${payment.id}/refunds`, { amount: 200 });
      expect(within).toMatchObject({ status: 201, body: { status: 'INITIATED' } });
    } finally {
      await balance(null);
    }

    const old = await flow.reservedPayment(pos, 500);
    await flow.api('POST', `/payments/${old.id}/capture`, {});
    await flow.sandbox(`/sandbox/pos/v1/payments/${old.mobilePayPaymentId}/backdate`, 'POST', {
      ms: 91 * 24 * 60 * 60_000,
    });
    const tooOld = await flow.api('POST', `/payments/${old.id}/refunds`, {});
    expect(tooOld).toMatchObject({
      status: 409,
      body: { code: 'invalid_payment_state', details: { mobilePayCode: '1366' } },
    });
  });

  it('refuses bad input with clear 4xx codes before calling MobilePay', async () => {
    const pos = await flow.newPointOfSale();
    const cases: [object, number][] = [
      [{ amount: 12.5, currency: 'DKK' }, 400],
      [{ amount: 100, currency: 'SEK' }, 400],
      [{ amount: 100, currency: 'DKK', orderId: 'x'.repeat(37) }, 400],
      [{ flow: 'prepare', amount: 100 }, 400],
    ];
    for (const [body, status] of cases) {
      const response = await flow.startPayment(pos, body);
      expect({ body, status: response.status, code: response.body.code }).toEqual({
        body,
        status,
        code: 'validation_failed',
      });
    }
    const unknown = await flow.api('POST', `/payments`, {
      pointOfSaleId: randomUUID(),
      orderId: 'o-1',
      amount: 100,
      currency: 'DKK',
    });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'not_found' } });
    const beacon = await flow.api('POST', '/points-of-sale', {
      merchantPosId: 'till-x',
      storeId: randomUUID(),
      name: 'Kasse',
      beaconId: '1234',
      supportedBeaconTypes: ['QR'],
    });
    expect(beacon).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(await flow.simulatedOn(pos)).toHaveLength(0);
  });
});
