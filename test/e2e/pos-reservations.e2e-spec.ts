import { onboardMerchant } from '../../scripts/stack/scenario';
import type { Stack } from '../../scripts/stack/stack';
import { startTestStack } from '../support/e2e-stack';
import { PosFlow } from '../support/pos-flow';

jest.setTimeout(120_000);

/**
 * Reservations run out at MobilePay: a reserved payment nobody captures or cancels becomes
 * ExpiredAndCancelled after 7 days; a reserved refund is captured by MobilePay after 24 hours.
 * Here the simulator's clocks are seconds, and the worker must notice on its own.
 */
describe('in-store reservations that run out (PoS v10)', () => {
  const RESERVATION_MS = 4_000;
  let stack: Stack;
  let flow: PosFlow;

  beforeAll(async () => {
    const env = {
      POS_READ_TIMEOUT_MS: '3000',
      POS_RESERVATION_CHECK_MARGIN_MS: '1000',
      POS_REFUND_RESERVATION_MS: String(RESERVATION_MS),
    };
    stack = await startTestStack({
      gateway: env,
      worker: env,
      sandbox: {
        SANDBOX_POS_RESERVATION_MS: String(RESERVATION_MS),
        SANDBOX_POS_REFUND_RESERVATION_MS: String(RESERVATION_MS),
      },
    });
    flow = new PosFlow(stack, await onboardMerchant(stack));
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('a reserved payment left alone ends ExpiredAndCancelled, seen without anyone asking', async () => {
    const pos = await flow.newPointOfSale();
    const reserved = await flow.reservedPayment(pos, 800);
    expect(reserved.reservationExpiresAt).not.toBeNull();
    const expiresAt = Date.parse(reserved.reservationExpiresAt!);

    const expired = await flow.waitFor(reserved.id, 'EXPIRED_AND_CANCELLED', 20_000);
    expect(expired).toMatchObject({ capturedAmount: 0, pendingSettlement: null });
    expect((await flow.simulated(reserved.mobilePayPaymentId)).status).toBe('ExpiredAndCancelled');
    expect(await flow.eventTypes(reserved.id)).toContain('pos_payment.expired_and_cancelled');
    // One look after the reservation ran out, not a poll every second for its whole life.
    const simulated = await flow.simulated(reserved.mobilePayPaymentId);
    const reservedAt = simulated.history.find((h) => h.status === 'Reserved')!.at;
    const whileReserved = simulated.polls.filter((at) => at > reservedAt && at < expiresAt);
    expect(whileReserved.length).toBeLessThanOrEqual(1);
    expect(simulated.polls.filter((at) => at >= expiresAt).length).toBeGreaterThanOrEqual(1);

    const late = await flow.api('POST', `/payments/${reserved.id}/capture`, {});
    expect(late).toMatchObject({ status: 409, body: { code: 'invalid_payment_state' } });
  });

  it('a reserved refund left alone is captured by MobilePay: ExpiredAndCaptured', async () => {
    const pos = await flow.newPointOfSale();
    const payment = await flow.reservedPayment(pos, 1_000);
    await flow.api('POST', `/payments/${payment.id}/capture`, {});
    const held = await flow.api<{ id: string; status: string }>(
      'POST',
      `/payments/${payment.id}/refunds`,
      { amount: 400, capture: false },
    );
    expect(held.status).toBe(201);
    await flow.waitForRefund(held.body.id, 'RESERVED');

    const expired = await flow.waitForRefund(held.body.id, 'EXPIRED_AND_CAPTURED', 20_000);
    expect(expired).toMatchObject({ amount: 400, pendingSettlement: null });
    // Money moved: the refund still counts against what was captured.
    expect((await flow.api('GET', `/payments/${payment.id}`)).body).toMatchObject({
      refundedAmount: 400,
    });
    expect(await flow.eventTypes(payment.id)).toContain('pos_refund.expired_and_captured');
  });
});
