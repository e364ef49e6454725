import { join } from 'node:path';
import { runChaos, runInFlightCrash, type Fault } from './lib/chaos';
import type { BenchContext, BenchOutcome } from './lib/cli';
import { runBenchCommand } from './lib/cli';

/**
 * Steady swipes while the gateway, the worker and Redis (a private redis-server without
 * persistence) are killed -9 at random moments and restarted; then every acked callback must end
 * in exactly one final PATCH before its deadline, with at most one authorization per reference.
 * Then the worst moment on purpose (runInFlightCrash).
 */
export async function benchChaos(context: BenchContext): Promise<BenchOutcome> {
  const { session, short } = context;
  const redis = await session.privateRedis('chaos');
  const { stack, workDir } = await session.startStack('chaos', {
    redisUrl: redis.url,
    otel: context.otel,
    env: { worker: { JANITOR_INTERVAL_MS: '1000', JANITOR_GRACE_MS: '2000' } },
  });
  const once: Fault[] = ['gateway', 'worker', 'redis'];
  try {
    const ctx = { stack, redis, databaseUrl: session.databaseUrl, planDir: join(workDir, 'plans') };
    const result = await runChaos(ctx, {
      ratePerSecond: Number(process.env.BENCH_CHAOS_RATE) || (short ? 6 : 15),
      durationMs: short ? 20_000 : 60_000,
      faults: short ? once : [...once, ...once],
      settleTimeoutMs: short ? 60_000 : 90_000,
      seed: process.env.BENCH_SEED ? Number(process.env.BENCH_SEED) : undefined,
      log: context.log,
    });
    context.log('chaos: worker killed mid-authorization, then Redis restarted empty');
    const inFlight = await runInFlightCrash(ctx);
    const { violations, ...report } = result;
    return {
      report: { ...report, inFlightCrash: { settleMs: inFlight.settleMs, check: inFlight.check } },
      violations: [...violations, ...inFlight.violations.map((v) => `in-flight crash: ${v}`)],
    };
  } finally {
    await stack.close();
  }
}

if (require.main === module) runBenchCommand('chaos', benchChaos);
