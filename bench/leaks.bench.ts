import { ACQUIRER_TEST_CARDS } from '../apps/sandbox/src/acquirers/test-cards';
import { TEST_WALLET } from '../apps/sandbox/src/mobilepay/test-wallet';
import { createPayment, onboardMerchant, swipe, waitForAttempt } from '../scripts/stack/scenario';
import type { Stack } from '../scripts/stack/stack';
import { prepareAbuseTargets, runAbuse } from './lib/abuse';
import type { BenchSession } from './lib/bench-session';
import type { BenchContext, BenchOutcome } from './lib/cli';
import { runBenchCommand } from './lib/cli';
import { scanLeaks } from './lib/leak-scan';
import { inLanes } from './lib/payments';

/** Every card of the wallet and the acquirer's magic cards, as card data and as tokens. */
export async function exerciseCardFlows(stack: Stack): Promise<number> {
  const merchant = await onboardMerchant(stack);
  const cards = [...TEST_WALLET, ...ACQUIRER_TEST_CARDS].filter(
    (card, i, all) =>
      all.findIndex((c) => c.pan === card.pan) === i &&
      ACQUIRER_TEST_CARDS.find((c) => c.pan === card.pan)?.behaviour.responseDelayMs === undefined,
  );
  const runs = cards.flatMap((card) => [
    { card, tokenize: false },
    ...(card.cardType === 'DANKORT' ? [] : [{ card, tokenize: true }]),
  ]);
  await inLanes(runs.length, 4, async (i) => {
    const { card, tokenize } = runs[i];
    const payment = await createPayment(stack, merchant, { allowedCardTypes: [card.cardType] });
    const swiped = await swipe(stack, payment.mobilePayPaymentId, {
      cardNumber: card.pan,
      cardType: card.cardType,
      ...{ tokenize },
    });
    // Done once final, or waiting in the 3-D Secure challenge (soft declines).
    await waitForAttempt(
      stack,
      payment.mobilePayPaymentId,
      swiped.authorizationAttemptId,
      (a) => a.final !== null || a.patches.length > 0,
      30_000,
    );
  });
  return runs.length;
}

export function scanSession(session: BenchSession) {
  return scanLeaks({
    logDirs: session.logDirs,
    traceFiles: session.traceFiles,
    redis: session.redisTargets,
    databaseUrl: session.databaseUrl,
  });
}

/**
 * Leak scan: with traces exported to a local sink, every card flow and a fuzzing run (which also
 * sends PANs in clear where they do not belong), then logs, traces, Redis and every database row
 * are searched for card numbers.
 */
export async function benchLeaks(context: BenchContext): Promise<BenchOutcome> {
  const { session } = context;
  const { stack } = await session.startStack('leaks', { otel: true });
  let flows: number;
  try {
    flows = await exerciseCardFlows(stack);
    const targets = await prepareAbuseTargets(stack);
    await runAbuse(stack, targets, { runs: context.short ? 150 : 600 });
  } finally {
    // SIGTERM: logs flushed and the last spans exported before the scan.
    await stack.close();
  }
  const { violations, ...report } = await scanSession(session);
  return { report: { cardFlows: flows, ...report }, violations };
}

if (require.main === module) runBenchCommand('leaks', benchLeaks, { otel: true });
