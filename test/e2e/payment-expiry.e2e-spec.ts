import {
  createPayment,
  onboardMerchant,
  sandboxView,
  type DemoMerchant,
} from '../../scripts/stack/scenario';
import type { Stack } from '../../scripts/stack/stack';
import { startTestStack } from '../support/e2e-stack';
import { eventually } from '../support/eventually';
import { api, authorizedPayment, getPayment } from '../support/merchant-api';

jest.setTimeout(90_000);

const failedCallbackOf = (view: { payment: object }) =>
  (view.payment as { failedCallback?: { status: string } | null }).failedCallback;

/** Payments last 2 s here (MobilePay expires them at the validUntil we send). */
const SHORT_LIVES = {
  PAYMENT_TTL_MS: '2000',
  MOBILEPAY_SEND_VALID_UNTIL: 'true',
  PATCH_DEADLINE_MS: '3000',
  JANITOR_INTERVAL_MS: '300',
  JANITOR_GRACE_MS: '500',
};

describe('payments whose validity lapses without a word from MobilePay', () => {
  let stack: Stack;
  let merchant: DemoMerchant;

  beforeAll(async () => {
    stack = await startTestStack({
      gateway: SHORT_LIVES,
      worker: SHORT_LIVES,
      // MobilePay gives up on the failed-payment callback quickly here (for real: after 15 s).
      sandbox: { SANDBOX_CALLBACK_RETRY_WINDOW_MS: '1000' },
    });
    merchant = await onboardMerchant(stack);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('are expired by the janitor and the merchant hears of it; authorized ones are left alone', async () => {
    const authorized = await authorizedPayment(stack, merchant, 4_000);
    const untouched = await createPayment(stack, merchant);
    expect((await getPayment(stack, merchant, untouched.id)).status).toBe('INITIATED');
    // The gateway is away while MobilePay expires the payment: its callback never arrives.
    await stack.kill('gateway');
    try {
      const lost = await eventually(
        () => sandboxView(stack, untouched.mobilePayPaymentId),
        (view) => failedCallbackOf(view)?.status === 'failed',
        20_000,
      );
      expect(failedCallbackOf(lost)?.status).toBe('failed');
    } finally {
      await stack.start('gateway');
    }

    const expired = await eventually(
      () => getPayment(stack, merchant, untouched.id),
      (p) => p.status === 'EXPIRED',
      20_000,
    );
    expect(expired.status).toBe('EXPIRED');
    const events = await api<{ data: { type: string }[] }>(
      stack,
      merchant.apiKey,
      'GET',
      `/v1/events?paymentId=${untouched.id}`,
    );
    expect(events.body.data.map((e) => e.type)).toContain('payment.expired');
    // Past its validity too, but authorized: nothing lapses there.
    expect((await getPayment(stack, merchant, authorized.id)).status).toBe('AUTHORIZED');
  });
});
