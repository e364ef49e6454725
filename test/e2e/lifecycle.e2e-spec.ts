import { setTimeout as sleep } from 'node:timers/promises';
import { http } from '../../scripts/stack/http';
import {
  createPayment,
  onboardMerchant,
  sandboxView,
  waitForFinalPatch,
  type CreatedPayment,
  type DemoMerchant,
} from '../../scripts/stack/scenario';
import type { Stack } from '../../scripts/stack/stack';
import { startTestStack } from '../support/e2e-stack';

jest.setTimeout(240_000);

const RATE_PER_SECOND = 20;
const STREAM_MS = 6_000;
const VISA = { cardNumber: '4111111111111111', cardType: 'VISA-CREDIT', tokenize: false };

interface AcquirerRecord {
  reference: string;
  authorizations: number;
}

/** Runs `work` for 0…count-1 with at most `width` at a time. */
async function inBatches<T>(count: number, width: number, work: (i: number) => Promise<T>) {
  const results: T[] = [];
  for (let i = 0; i < count; i += width) {
    const batch = Array.from({ length: Math.min(width, count - i) }, (_, j) => work(i + j));
    results.push(...(await Promise.all(batch)));
  }
  return results;
}

/** Polls readiness until stopped, keeping every answer (status, or 0 for no connection). */
function watchReadiness(url: string) {
  const seen: { at: number; status: number; draining?: boolean }[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      try {
        const response = await http<{ draining?: boolean }>('GET', url);
        seen.push({ at: Date.now(), status: response.status, draining: response.body?.draining });
      } catch {
        seen.push({ at: Date.now(), status: 0 });
      }
      await sleep(50);
    }
  })();
  return {
    seen,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

describe('graceful shutdown under a steady stream of callbacks', () => {
  let stack: Stack;
  let merchant: DemoMerchant;

  beforeAll(async () => {
    stack = await startTestStack({
      gateway: { SHUTDOWN_DRAIN_MS: '1500' },
      // MobilePay retries a callback for its retry window; the gateway restart fits well inside.
      sandbox: { SANDBOX_CALLBACK_RETRY_WINDOW_MS: '28000' },
    });
    merchant = await onboardMerchant(stack);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('loses and duplicates nothing when the gateway and the worker get SIGTERM mid-stream', async () => {
    const count = (RATE_PER_SECOND * STREAM_MS) / 1000;
    const payments: CreatedPayment[] = await inBatches(count, 8, () =>
      createPayment(stack, merchant, { allowedCardTypes: ['VISA-CREDIT'] }),
    );

    const readiness = watchReadiness(`${stack.urls.gateway}/health/ready`);
    let gatewaySigterm = 0;
    // Both mid-stream: the worker at 1 s, with authorizations in flight; the gateway at 3 s (it
    // drains, closes, restarts while MobilePay keeps retrying).
    const timeline: string[] = [];
    const mark = (what: string) => timeline.push(`${Date.now() - started} ms ${what}`);
    const started = Date.now();
    const restarts = Promise.all([
      (async () => {
        await sleep(3_000);
        gatewaySigterm = Date.now();
        mark('gateway SIGTERM');
        await stack.stop('gateway');
        mark('gateway exited');
        await stack.start('gateway');
        mark('gateway ready');
      })(),
      (async () => {
        await sleep(1_000);
        mark('worker SIGTERM');
        await stack.stop('worker');
        mark('worker exited');
        await stack.start('worker');
        mark('worker ready');
      })(),
    ]);

    // The shopper swipes; the sandbox (MobilePay) sends the card-data callback and retries it.
    const swipes: Promise<{ status: number; body: { authorizationAttemptId: string } }>[] = [];
    for (let i = 0; i < count; i++) {
      await sleep(Math.max(0, started + (i * 1000) / RATE_PER_SECOND - Date.now()));
      swipes.push(
        http(
          'POST',
          `${stack.urls.sandbox}/sandbox/v1/payments/${payments[i].mobilePayPaymentId}/swipe`,
          VISA,
        ),
      );
    }
    await restarts;
    const swiped = await Promise.all(swipes);
    await readiness.stop();
    expect(swiped.map((s) => s.status)).toEqual(swiped.map(() => 200));

    // Every acked callback ends with exactly one final PATCH at MobilePay.
    const attempts = await Promise.all(
      swiped.map((s, i) =>
        waitForFinalPatch(
          stack,
          payments[i].mobilePayPaymentId,
          s.body.authorizationAttemptId,
          60_000,
        ),
      ),
    );
    for (const attempt of attempts) {
      expect(attempt.final).toMatchObject({ succeeded: true });
      expect(attempt.patches).toHaveLength(1);
      expect(attempt.late).toBe(false);
    }

    // At most one acquirer authorization per attempt: exactly one here, all cards approve.
    const { body: records } = await http<AcquirerRecord[]>(
      'GET',
      `${stack.urls.sandbox}/acquirer/v1/_records`,
    );
    const byReference = new Map(records.map((r) => [r.reference, r.authorizations]));
    for (const s of swiped) expect(byReference.get(s.body.authorizationAttemptId)).toBe(1);

    // What MobilePay saw: acks, 503s during the drain, refused connections while down; no 500.
    const views = await Promise.all(payments.map((p) => sandboxView(stack, p.mobilePayPaymentId)));
    const perPayment = views.map((view) =>
      view.events
        .filter((e) => e.direction === 'mobilepay->psp')
        .map((e) => e.status as number | null),
    );
    for (const tries of perPayment) expect(tries).toContain(200);
    const statuses = perPayment.flat();
    expect(statuses.filter((s) => s !== null && s >= 500 && s !== 503)).toEqual([]);
    expect(statuses.filter((s) => s !== null && s !== 200 && s !== 503)).toEqual([]);
    const refused = statuses.filter((s) => s === null || s === 503);
    expect(refused.length).toBeGreaterThan(0); // the stream really crossed the restart
    mark(
      `deliveries: ${statuses.length}; 200: ${statuses.filter((x) => x === 200).length}, ` +
        `503: ${statuses.filter((x) => x === 503).length}, no answer: ${statuses.filter((x) => x === null).length}`,
    );
    process.stdout.write(`lifecycle timeline:\n  ${timeline.join('\n  ')}\n`);

    // Readiness went false (draining) after SIGTERM, while the gateway still answered.
    const afterSigterm = readiness.seen.filter((r) => r.at >= gatewaySigterm);
    const firstDown = afterSigterm.findIndex((r) => r.status !== 200);
    expect(afterSigterm[firstDown]).toMatchObject({ status: 503, draining: true });
  });
});
