import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { http } from '../scripts/stack/http';
import type { Stack } from '../scripts/stack/stack';
import { query } from './lib/bench-database';
import type { BenchContext, BenchOutcome } from './lib/cli';
import { runBenchCommand } from './lib/cli';
import { checkFlows, settled } from './lib/flow-check';
import { generateLoad } from './lib/load';
import { preparePayments, writeSwipePlan } from './lib/payments';
import { isFinalPatch, sandboxPayments } from './lib/sandbox-records';
import { round, summarize } from './lib/stats';

/**
 * Callback → final PATCH, the shopper's whole wait after the swipe: swipes at the sandbox from a
 * separate process at a steady rate, with an instant acquirer and with one that takes 300 ms.
 * Latency from MobilePay's records (callback sent → PATCH received) and from ours
 * (callbackReceivedAt → patchedAt, i.e. until MobilePay's answer to the PATCH).
 */
const SCENARIOS = [
  { name: 'instantAcquirer', acquirerDelayMs: 0 },
  { name: 'acquirer300ms', acquirerDelayMs: 300 },
];

interface Phase {
  report: Record<string, unknown> & { callbackToFinalPatchMs: ReturnType<typeof summarize> };
  violations: string[];
}

/**
 * One scenario: a warm-up at the same rate first (connection pools, JIT, caches: the first
 * seconds after a start are slower, and reported on their own), then the measured window.
 */
async function scenario(
  context: BenchContext,
  stack: Stack,
  planDir: string,
  acquirerDelayMs: number,
): Promise<{ report: Record<string, unknown>; violations: string[] }> {
  const { short } = context;
  const rate = Number(process.env.BENCH_E2E_RATE) || (short ? 8 : 20);
  await http('POST', `${stack.urls.sandbox}/acquirer/v1/_behaviour`, { delayMs: acquirerDelayMs });
  const warmUpMs = short ? 2_000 : 5_000;
  const warmUp = await phase(
    context,
    stack,
    join(planDir, `e2e-${acquirerDelayMs}-warm-up.jsonl`),
    {
      rate,
      durationMs: warmUpMs,
    },
  );
  const measured = await phase(context, stack, join(planDir, `e2e-${acquirerDelayMs}.jsonl`), {
    rate,
    durationMs: short ? 6_000 : 30_000,
  });
  return {
    report: {
      ...measured.report,
      warmUp: {
        durationMs: warmUpMs,
        swipes: warmUp.report.swipes,
        callbackToFinalPatchMs: warmUp.report.callbackToFinalPatchMs,
      },
    },
    violations: [...warmUp.violations.map((v) => `warm-up: ${v}`), ...measured.violations],
  };
}

/** Swipes at `rate` for `durationMs`, then every flow checked and its latencies summarized. */
async function phase(
  context: BenchContext,
  stack: Stack,
  plan: string,
  { rate, durationMs }: { rate: number; durationMs: number },
): Promise<Phase> {
  const { session } = context;
  const count = Math.ceil((rate * durationMs) / 1000);
  const { merchant, payments } = await preparePayments(stack, count, () => ({
    allowedCardTypes: ['VISA-CREDIT'],
  }));
  writeSwipePlan(plan, payments, () => ({
    cardNumber: '4111111111111111',
    cardType: 'VISA-CREDIT',
    tokenize: false,
  }));
  context.log(`${rate} swipes/s for ${durationMs} ms`);
  const load = await generateLoad({
    url: stack.urls.sandbox,
    bodiesFile: plan,
    mode: 'open',
    ratePerSecond: rate,
    durationMs,
    targets: true,
    timeoutMs: 60_000,
  });
  const ids = payments.map((p) => p.mobilePayPaymentId);
  let check = await checkFlows(stack, session.databaseUrl, merchant.id, ids);
  for (let i = 0; i < 30 && !settled(check); i++) {
    await sleep(1_000);
    check = await checkFlows(stack, session.databaseUrl, merchant.id, ids);
  }
  const fromCallback: number[] = [];
  const fromAck: number[] = [];
  for (const payment of await sandboxPayments(stack, ids)) {
    for (const attempt of payment.attempts) {
      const acked = attempt.deliveries.find((d) => d.status !== null && d.status < 300);
      const patch = attempt.patches.find((p) => isFinalPatch(p) && p.status < 300);
      if (!acked || !patch) continue;
      const sent = Date.parse(acked.at);
      fromCallback.push(Date.parse(patch.at) - sent);
      fromAck.push(Date.parse(patch.at) - sent - acked.latencyMs);
    }
  }
  const ours = await query<{ ms: number }>(
    session.databaseUrl,
    `SELECT EXTRACT(EPOCH FROM (a."patchedAt" - a."callbackReceivedAt")) * 1000 AS ms
       FROM "AuthorizationAttempt" a JOIN "Payment" p ON p.id = a."paymentId"
      WHERE p."merchantId" = $1 AND a."patchedAt" IS NOT NULL`,
    [merchant.id],
  );
  return {
    report: {
      ratePerSecond: rate,
      achievedSwipesPerSecond: round((load.sent / load.elapsedMs) * 1000),
      swipes: load.sent,
      swipeStatusCounts: load.statusCounts,
      acked: check.acked,
      succeeded: check.succeeded,
      failed: check.failed,
      callbackToFinalPatchMs: summarize(fromCallback),
      ackToFinalPatchMs: summarize(fromAck),
      databaseCallbackToPatchedMs: summarize(ours.map((row) => Number(row.ms))),
    },
    violations: [
      ...check.violations,
      ...(load.failed > 0 ? [`${load.failed} swipe(s) got no 200 from the sandbox`] : []),
    ],
  };
}

export async function benchE2e(context: BenchContext): Promise<BenchOutcome> {
  const bench = context.stack ?? (await context.session.startStack('e2e', { otel: context.otel }));
  const report: Record<string, unknown> = {};
  const violations: string[] = [];
  try {
    for (const s of SCENARIOS) {
      const outcome = await scenario(
        context,
        bench.stack,
        join(bench.workDir, 'plans'),
        s.acquirerDelayMs,
      );
      report[s.name] = outcome.report;
      violations.push(...outcome.violations.map((v) => `${s.name}: ${v}`));
    }
    const instantP99 = (report.instantAcquirer as Phase['report']).callbackToFinalPatchMs.p99;
    report.targets = {
      instantAcquirerP99BelowMs: 250,
      instantAcquirerP99Met: instantP99 < 250,
    };
    return { report, violations };
  } finally {
    await http('DELETE', `${bench.stack.urls.sandbox}/acquirer/v1/_behaviour`);
    if (!context.stack) await bench.stack.close();
  }
}

if (require.main === module) runBenchCommand('e2e', benchE2e);
