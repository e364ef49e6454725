import { randomUUID } from 'node:crypto';
import { posPaymentViewSchema } from '../../apps/gateway/src/pos/pos.view';
import { http } from '../../scripts/stack/http';
import { onboardMerchant } from '../../scripts/stack/scenario';
import { POS_CALLBACK_ALIAS, type Stack } from '../../scripts/stack/stack';
import { startTestStack } from '../support/e2e-stack';
import { eventually } from '../support/eventually';
import { api } from '../support/merchant-api';
import { gaps, type PaymentView, PosFlow, TEST_USERS } from '../support/pos-flow';
import { WebhookReceiver } from '../support/webhook-receiver';

jest.setTimeout(120_000);

/** The flows of MobilePay's PoS documentation, from the merchant's API to the simulator and back. */
describe('in-store payments (PoS v10) through gateway, worker and simulator', () => {
  let stack: Stack;
  let flow: PosFlow;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    await receiver.start();
    // A busy 2-core test machine: GETs get more than the guide's 0.5 s before they count as lost.
    const env = { POS_READ_TIMEOUT_MS: '3000', WEBHOOK_DISPATCH_INTERVAL_MS: '200' };
    stack = await startTestStack({ gateway: env, worker: env });
    flow = new PosFlow(stack, await onboardMerchant(stack));
    const endpoint = await api<{ secret: string }>(
      stack,
      flow.merchant.apiKey,
      'POST',
      '/v1/webhook-endpoints',
      { url: receiver.url },
    );
    expect(endpoint.status).toBe(201);
    receiver.secret = endpoint.body.secret;
  });

  afterAll(async () => {
    await stack?.close();
    await receiver.stop();
  });

  it('payment flow: check-in, initiate, issued to the user, reserved, captured exactly once', async () => {
    const pos = await flow.newPointOfSale();
    expect(pos).toMatchObject({
      status: 'ACTIVE',
      beaconId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });

    await flow.user('checkin', { beaconId: pos.beaconId, phoneNumber: TEST_USERS.credit });
    const checkIn = await flow.api('GET', `/points-of-sale/${pos.id}/checkin`);
    expect(checkIn.body).toMatchObject({ isUserCheckedIn: true, pollDelayInMs: 1000 });

    const started = await flow.startPayment(pos, { amount: 1_250, currency: 'DKK' });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ status: 'INITIATED', amount: 1_250, flow: 'initiate' });
    const paymentId = started.body.id;

    await flow.waitFor(paymentId, 'ISSUED_TO_USER');
    await flow.user('acceptpayment', { beaconId: pos.beaconId, phoneNumber: TEST_USERS.credit });
    const reserved = await flow.waitFor(paymentId, 'RESERVED');
    expect(reserved).toMatchObject({ partialCapturePossible: false, amount: 1_250 });

    const captured = await flow.api('POST', `/payments/${paymentId}/capture`, {});
    expect(captured.status).toBe(200);
    // The answer is what the OpenAPI document (/v1/openapi.json) says it is.
    expect(posPaymentViewSchema.safeParse(captured.body).error).toBeUndefined();
    expect(captured.body).toMatchObject({
      status: 'CAPTURED',
      capturedAmount: 1_250,
      pendingSettlement: null,
    });
    // A repeated capture is answered from our state, not sent again.
    expect((await flow.api('POST', `/payments/${paymentId}/capture`, {})).body.status).toBe(
      'CAPTURED',
    );

    const simulated = await flow.simulated(reserved.mobilePayPaymentId);
    // 12,50 kr. went to MobilePay as the decimal 12.50 and came back as 1250 øre.
    expect(simulated).toMatchObject({ status: 'Captured', amount: '1250', capturedAmount: '1250' });
    // Polling respected pollDelayInMs (1 s): never faster, and never throttled.
    expect(simulated.throttled).toBe(0);
    expect(simulated.polls.length).toBeGreaterThanOrEqual(2);
    for (const gap of gaps(simulated.polls)) expect(gap).toBeGreaterThanOrEqual(995);

    const expectedTypes = [
      'pos_payment.initiated',
      'pos_payment.issued_to_user',
      'pos_payment.reserved',
      'pos_payment.captured',
    ];
    expect(await flow.eventTypes(paymentId)).toEqual(expectedTypes);

    // The same events reach the merchant as signed webhooks, like the online ones, once each.
    const delivered = await eventually(
      () => Promise.resolve(receiver.received.filter((r) => r.body.paymentId === paymentId)),
      (got) => expectedTypes.every((type) => got.some((r) => r.type === type)),
      20_000,
    );
    expect(delivered.every((r) => r.signatureValid)).toBe(true);
    expect(delivered.every((r) => r.body.channel === 'in_store')).toBe(true);
    expect(new Set(delivered.map((r) => r.eventId)).size).toBe(delivered.length);
    expect(delivered.find((r) => r.type === 'pos_payment.captured')?.body.data).toMatchObject({
      posPaymentId: paymentId,
      status: 'CAPTURED',
      amount: 1_250,
      capturedAmount: 1_250,
    });
    // The merchant's event log (/v1/events) lists them beside the online events.
    const logged = await api<{ data: { type: string; channel: string }[] }>(
      stack,
      flow.merchant.apiKey,
      'GET',
      `/v1/events?paymentId=${paymentId}`,
    );
    expect(logged.body.data.map((e) => e.type).reverse()).toEqual(expectedTypes);
    expect(logged.body.data.every((e) => e.channel === 'in_store')).toBe(true);
  });

  it('notification service: a check-in at a point of sale with a callbackAlias reaches the merchant as a webhook', async () => {
    const pos = await flow.newPointOfSale({ callbackAlias: POS_CALLBACK_ALIAS });
    const quiet = await flow.newPointOfSale();
    await flow.user('checkin', { beaconId: quiet.beaconId, phoneNumber: TEST_USERS.credit });
    await flow.user('checkin', { beaconId: pos.beaconId, phoneNumber: TEST_USERS.loyalty });

    const delivered = await eventually(
      () =>
        Promise.resolve(
          receiver.received.filter((r) => r.type === 'pos_point_of_sale.check_in_notified'),
        ),
      (got) => got.some((r) => r.body.pointOfSaleId === pos.id),
      20_000,
    );
    const webhook = delivered.find((r) => r.body.pointOfSaleId === pos.id)!;
    expect(webhook.signatureValid).toBe(true);
    expect(webhook.body).toMatchObject({ channel: 'in_store', paymentId: null });
    expect(webhook.body.data).toMatchObject({
      pointOfSaleId: pos.id,
      callbackAlias: POS_CALLBACK_ALIAS,
    });
    // Only the point of sale with the alias was notified.
    expect(delivered.some((r) => r.body.pointOfSaleId === quiet.id)).toBe(false);
    const sent = (await flow.sandbox('/sandbox/pos/v1/notifications')).body as {
      posId: string;
      status: number;
    }[];
    expect(sent.filter((n) => n.posId === pos.mobilePayPosId).map((n) => n.status)).toEqual([200]);

    // What the register does next: look the check-in up.
    const checkIn = await flow.api('GET', `/points-of-sale/${pos.id}/checkin`);
    expect(checkIn.body).toMatchObject({ isUserCheckedIn: true });

    // The endpoint itself: a point of sale we do not know is acknowledged (MobilePay would only
    // retry), a malformed body refused with a stable code.
    const endpoint = `${stack.urls.gateway}/callbacks/mobilepay/pos/notifications`;
    const unknown = await http('POST', endpoint, {
      MerchantId: randomUUID(),
      PosId: randomUUID(),
      MerchantPosId: 'till-x',
      SomethingNew: true,
    });
    expect(unknown).toMatchObject({ status: 200, body: { status: 'ignored' } });
    const malformed = await http('POST', endpoint, { PosId: 'not-a-guid' });
    expect(malformed).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });

  it('payment flow: a payment initiated before check-in waits in INITIATED until a user checks in', async () => {
    const pos = await flow.newPointOfSale();
    const started = await flow.startPayment(pos, { amount: 4_995, currency: 'DKK' });
    const paymentId = started.body.id;
    await flow.waitFor(paymentId, 'INITIATED');
    await flow.user('checkin', { beaconId: pos.beaconId, phoneNumber: TEST_USERS.credit });
    await flow.waitFor(paymentId, 'ISSUED_TO_USER');
    await flow.user('acceptpayment', { beaconId: pos.beaconId, phoneNumber: TEST_USERS.credit });
    await flow.waitFor(paymentId, 'RESERVED');
  });

  it('prepared payment flow: prepared, paired with loyalty ids, ready with the amount, captured', async () => {
    const pos = await flow.newPointOfSale();
    const started = await flow.startPayment(pos, { flow: 'prepare' });
    expect(started.body).toMatchObject({ status: 'PREPARED', amount: null, flow: 'prepare' });
    const paymentId = started.body.id;

    await flow.user('checkin', { beaconId: pos.beaconId, phoneNumber: TEST_USERS.loyalty });
    const paired = await flow.waitFor(paymentId, 'PAIRED');
    expect(paired.loyaltyIds).toEqual(['123456']);

    const ready = await flow.api('POST', `/payments/${paymentId}/ready`, {
      amount: 995,
      currency: 'EUR',
    });
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ amount: 995, currency: 'EUR' });
    await flow.waitFor(paymentId, 'ISSUED_TO_USER');
    await flow.user('acceptpayment', { beaconId: pos.beaconId, phoneNumber: TEST_USERS.loyalty });
    await flow.waitFor(paymentId, 'RESERVED');
    const captured = await flow.api('POST', `/payments/${paymentId}/capture`, {});
    expect(captured.body).toMatchObject({
      status: 'CAPTURED',
      capturedAmount: 995,
      currency: 'EUR',
    });
  });

  it('cancel flows: by the user, by the client (issued or reserved), never after capture', async () => {
    const pos = await flow.newPointOfSale();
    await flow.user('checkin', { beaconId: pos.beaconId, phoneNumber: TEST_USERS.credit });
    const byUser = (await flow.startPayment(pos, { amount: 100, currency: 'DKK' })).body.id;
    await flow.waitFor(byUser, 'ISSUED_TO_USER');
    await flow.user('cancelpaymentbyuser', { beaconId: pos.beaconId });
    await flow.waitFor(byUser, 'CANCELLED_BY_USER');

    const issued = (await flow.startPayment(pos, { amount: 100, currency: 'DKK' })).body.id;
    const cancelled = await flow.api('POST', `/payments/${issued}/cancel`, {});
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED_BY_CLIENT' });

    const reserved = await flow.reservedPayment(pos, 200);
    expect((await flow.api('POST', `/payments/${reserved.id}/cancel`, {})).body.status).toBe(
      'CANCELLED_BY_CLIENT',
    );
    expect((await flow.simulated(reserved.mobilePayPaymentId)).status).toBe('CancelledByClient');

    const captured = await flow.reservedPayment(pos, 300);
    await flow.api('POST', `/payments/${captured.id}/capture`, {});
    const refused = await flow.api('POST', `/payments/${captured.id}/cancel`, {});
    expect(refused).toMatchObject({ status: 409, body: { code: 'invalid_payment_state' } });
  });

  it('partial capture when partialCapturePossible; otherwise capture all or cancel', async () => {
    const pos = await flow.newPointOfSale();
    const partial = await flow.reservedPayment(pos, 1_000, TEST_USERS.partialCapture);
    expect(partial.partialCapturePossible).toBe(true);
    const captured = await flow.api('POST', `/payments/${partial.id}/capture`, { amount: 700 });
    expect(captured.body).toMatchObject({ status: 'CAPTURED', capturedAmount: 700, amount: 1_000 });
    expect((await flow.simulated(partial.mobilePayPaymentId)).capturedAmount).toBe('700');

    const whole = await flow.reservedPayment(pos, 1_000, TEST_USERS.credit);
    expect(whole.partialCapturePossible).toBe(false);
    const refused = await flow.api('POST', `/payments/${whole.id}/capture`, { amount: 500 });
    expect(refused).toMatchObject({ status: 409, body: { code: 'partial_capture_not_possible' } });
    const tooMuch = await flow.api('POST', `/payments/${whole.id}/capture`, { amount: 1_001 });
    expect(tooMuch).toMatchObject({ status: 422, body: { code: 'amount_exceeds_available' } });
    // The documented way out: cancel before handing over the goods.
    expect((await flow.api('POST', `/payments/${whole.id}/cancel`, {})).body.status).toBe(
      'CANCELLED_BY_CLIENT',
    );
  });

  it('refunds: several, never more than captured; captured automatically or cancelled', async () => {
    const pos = await flow.newPointOfSale();
    const payment = await flow.reservedPayment(pos, 1_000);
    await flow.api('POST', `/payments/${payment.id}/capture`, {});

    type Refund = { id: string; status: string; amount: number };
    const first = await flow.api<Refund>('POST', `/payments/${payment.id}/refunds`, {
      amount: 600,
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'INITIATED', amount: 600 });
    await flow.waitForRefund(first.body.id, 'CAPTURED');

    const tooMuch = await flow.api('POST', `/payments/${payment.id}/refunds`, { amount: 401 });
    expect(tooMuch).toMatchObject({ status: 422, body: { code: 'amount_exceeds_available' } });

    const held = await flow.api<Refund>('POST', `/payments/${payment.id}/refunds`, {
      amount: 400,
      capture: false,
      refundOrderId: 'REFUND-HELD-1',
    });
    await flow.waitForRefund(held.body.id, 'RESERVED');
    const cancelled = await flow.api('POST', `/refunds/${held.body.id}/cancel`, {});
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED_BY_CLIENT' });

    // The cancelled refund gave its amount back: the rest can be refunded now.
    const rest = await flow.api<Refund>('POST', `/payments/${payment.id}/refunds`, {});
    expect(rest.body).toMatchObject({ amount: 400 });
    await flow.waitForRefund(rest.body.id, 'CAPTURED');
    const view = await flow.api<PaymentView>('GET', `/payments/${payment.id}`);
    expect(view.body).toMatchObject({ capturedAmount: 1_000, refundedAmount: 1_000 });
    expect(view.body.refunds.map((r) => r.status)).toEqual([
      'CAPTURED',
      'CANCELLED_BY_CLIENT',
      'CAPTURED',
    ]);
    const refundEvents = (await flow.eventTypes(payment.id)).filter((t) =>
      t.startsWith('pos_refund.'),
    );
    expect(refundEvents).toEqual(
      expect.arrayContaining([
        'pos_refund.initiated',
        'pos_refund.captured',
        'pos_refund.cancelled_by_client',
      ]),
    );
  });
});
