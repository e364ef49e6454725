import { prepareAbuseTargets, runAbuse } from './lib/abuse';
import type { BenchContext, BenchOutcome } from './lib/cli';
import { runBenchCommand } from './lib/cli';

/**
 * fast-check fuzzing of every public endpoint (callbacks, merchant API with and without valid
 * keys, back office, 3-D Secure, health, metrics): zero 5xx, zero crashes.
 */
export async function benchAbuse(context: BenchContext): Promise<BenchOutcome> {
  const bench =
    context.stack ?? (await context.session.startStack('abuse', { otel: context.otel }));
  try {
    const targets = await prepareAbuseTargets(bench.stack);
    const runs = Number(process.env.BENCH_ABUSE_RUNS) || (context.short ? 400 : 3_000);
    context.log(`${runs} requests over ${targets.routes.length} merchant/admin/PoS routes`);
    const { violations, ...report } = await runAbuse(bench.stack, targets, {
      runs,
      seed: process.env.BENCH_SEED ? Number(process.env.BENCH_SEED) : undefined,
    });
    return { report, violations };
  } finally {
    if (!context.stack) await bench.stack.close();
  }
}

if (require.main === module) runBenchCommand('abuse', benchAbuse);
