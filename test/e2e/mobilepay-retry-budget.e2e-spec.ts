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
import { startTestStack } from '../support/e2e-stack';
import { getPayment } from '../support/merchant-api';

jest.setTimeout(120_000);

/** The guide's policy as the gateway runs it by default: 2 s, 1 s, 2 retries. */
const RETRY_DELAY_MS = 1_000;
const RETRIES = 2;
/** The first later delivery after a budget ran out (shortened from 5 s to keep the test short). */
const REDELIVERY_DELAY_MS = 3_000;
/** Timers and the event loop of a loaded 2-core machine. */
const SLACK_MS = 60;

interface ApiEvent {
  at: string;
  receivedAt?: string;
  direction: string;
  method: string;
  path: string;
  status: number | null;
  body?: unknown;
}

const time = (iso: string) => Date.parse(iso);
const SOFT = ACQUIRER_TEST_CARDS.find((c) => c.behaviour.status === 'SOFT_DECLINED')!;

/** The requests of one outbound call, split where the pause is longer than any in-budget pause. */
function deliveries(requests: ApiEvent[]): ApiEvent[][] {
  const groups: ApiEvent[][] = [];
  for (const request of requests) {
    const last = groups.at(-1)?.at(-1);
    if (last && time(request.receivedAt!) - time(last.at) < REDELIVERY_DELAY_MS - SLACK_MS) {
      groups.at(-1)!.push(request);
    } else {
      groups.push([request]);
    }
  }
  return groups;
}

describe('MobilePay retry budget and invalidation order', () => {
  let stack: Stack;
  let merchant: DemoMerchant;

  const faults = (body: Record<string, number>) =>
    http('POST', `${stack.urls.sandbox}/sandbox/v1/faults`, body);

  beforeAll(async () => {
    const mobilePay = {
      MOBILEPAY_RETRY_DELAY_MS: String(RETRY_DELAY_MS),
      MOBILEPAY_RETRIES: String(RETRIES),
      MOBILEPAY_REDELIVERY_DELAY_MS: String(REDELIVERY_DELAY_MS),
      MOBILEPAY_REDELIVERY_MAX_DELAY_MS: String(REDELIVERY_DELAY_MS * 2),
      // A janitor that looks often must not take a delivery waiting for its later time as lost.
      JANITOR_INTERVAL_MS: '300',
      JANITOR_GRACE_MS: '300',
    };
    stack = await startTestStack({ gateway: mobilePay, worker: mobilePay });
    merchant = await onboardMerchant(stack);
  });

  afterEach(async () => {
    await http('DELETE', `${stack.urls.sandbox}/sandbox/v1/faults`);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('a PATCH during an outage: at most 1 + retries requests 1 s apart per delivery, later deliveries spaced out, identical requests', async () => {
    const payment = await createPayment(stack, merchant, { allowedCardTypes: ['VISA-CREDIT'] });
    // Long enough for two deliveries to use up their budgets: the pause between them doubles.
    const outageMs = 12_000;
    await faults({ apiOutageMs: outageMs });
    const outageEnds = Date.now() + outageMs;
    const swiped = await swipe(stack, payment.mobilePayPaymentId, {
      cardNumber: '4111111111111111',
      cardType: 'VISA-CREDIT',
    });
    const attempt = await waitForFinalPatch(
      stack,
      payment.mobilePayPaymentId,
      swiped.authorizationAttemptId,
      45_000,
    );
    expect(attempt.final).toMatchObject({ succeeded: true });

    const view = await sandboxView(stack, payment.mobilePayPaymentId);
    const patches = (view.events as ApiEvent[]).filter(
      (e) => e.direction === 'psp->mobilepay' && e.method === 'PATCH',
    );
    const groups = deliveries(patches);
    const spacing = patches.slice(1).map((p, i) => time(p.receivedAt!) - time(patches[i].at));
    // Figures for the record: requests per delivery and the pauses between requests.
    console.log(
      `PATCH during a ${outageMs} ms outage: ${patches.length} requests, ` +
        `per delivery ${JSON.stringify(groups.map((g) => g.length))}, ` +
        `pauses after each answer (ms) ${JSON.stringify(spacing)}, ` +
        `statuses ${JSON.stringify(patches.map((p) => p.status))}`,
    );

    expect(patches.at(-1)!.status).toBe(204);
    expect(time(patches.at(-1)!.receivedAt!)).toBeGreaterThanOrEqual(outageEnds - SLACK_MS);
    expect(patches.slice(0, -1).every((p) => p.status === 503)).toBe(true);
    // Every retry waits the guide's second after a 503.
    for (const pause of spacing) expect(pause).toBeGreaterThanOrEqual(RETRY_DELAY_MS - SLACK_MS);
    // One budget per delivery: never more than 1 + retries requests close together.
    expect(groups.length).toBeGreaterThanOrEqual(3);
    for (const group of groups.slice(0, -1)) expect(group).toHaveLength(RETRIES + 1);
    expect(groups.at(-1)!.length).toBeLessThanOrEqual(RETRIES + 1);
    // Later deliveries: the first pause, then twice it (capped here at twice).
    const pauses = groups
      .slice(1)
      .map((g, i) => time(g[0].receivedAt!) - time(groups[i].at(-1)!.at));
    expect(pauses[0]).toBeGreaterThanOrEqual(REDELIVERY_DELAY_MS - SLACK_MS);
    for (const pause of pauses.slice(1)) {
      expect(pause).toBeGreaterThanOrEqual(2 * REDELIVERY_DELAY_MS - SLACK_MS);
    }
    // The same request every time: same path, same body.
    expect(new Set(patches.map((p) => p.path)).size).toBe(1);
    expect(new Set(patches.map((p) => JSON.stringify(p.body))).size).toBe(1);
  });

  it('create payment sends no validUntil (the current platform fixes 10 min) and assumes that lifetime', async () => {
    const payment = await createPayment(stack, merchant);
    const view = await sandboxView(stack, payment.mobilePayPaymentId);
    const initiate = (view.events as ApiEvent[]).find(
      (e) => e.method === 'POST' && e.path === '/api/v3/payments',
    );
    expect(initiate?.body).toBeDefined();
    expect(initiate?.body).not.toHaveProperty('validUntil');
    const body = (await getPayment(stack, merchant, payment.id)) as unknown as {
      createdAt: string;
      expiresAt: string;
    };
    expect(time(body.expiresAt) - time(body.createdAt)).toBeGreaterThan(10 * 60_000 - 2_000);
    expect(time(body.expiresAt) - time(body.createdAt)).toBeLessThanOrEqual(10 * 60_000 + 2_000);
  });

  it('invalidation after a callback: PUT invalidate only after MobilePay answered the 1010 PATCH, even when it answers slowly', async () => {
    // An attempt in 3-D Secure is open at MobilePay; the invalidation fails it with 1010.
    const payment = await createPayment(stack, merchant, { allowedCardTypes: [SOFT.cardType] });
    const swiped = await swipe(stack, payment.mobilePayPaymentId, {
      cardNumber: SOFT.pan,
      cardType: SOFT.cardType,
    });
    await waitForAttempt(stack, payment.mobilePayPaymentId, swiped.authorizationAttemptId, (a) =>
      a.patches.some((p) => p.body.reasonCode === 1008),
    );
    await faults({ patchAnswerDelayMs: 1_500 });
    const invalidated = await http<{ status?: string; code?: string }>(
      'POST',
      `${stack.urls.gateway}/v1/payments/${payment.id}/invalidate`,
      undefined,
      { authorization: `Bearer ${merchant.apiKey}` },
    );
    expect(invalidated).toMatchObject({ status: 200, body: { status: 'INVALIDATED' } });

    const view = await sandboxView(stack, payment.mobilePayPaymentId);
    const calls = (view.events as ApiEvent[]).filter((e) => e.direction === 'psp->mobilepay');
    const patch = calls.filter(
      (e) => e.method === 'PATCH' && (e.body as { reasonCode?: number }).reasonCode === 1010,
    );
    const puts = calls.filter((e) => e.method === 'PUT');
    expect(patch).toHaveLength(1);
    expect(patch[0]).toMatchObject({ status: 204, body: { succeeded: false, reasonCode: 1010 } });
    expect(puts.length).toBeGreaterThanOrEqual(1);
    // Strictly after the 204 was sent — not merely after MobilePay acted on the PATCH.
    for (const put of puts) expect(time(put.receivedAt!)).toBeGreaterThan(time(patch[0].at));
    expect(puts.map((p) => p.status)).toEqual([204]);
    expect(view.payment.status).toBe('INVALIDATED');
  });
});
