import { benchAbuse } from './abuse.bench';
import { benchChaos } from './chaos.bench';
import type { BenchContext, BenchOutcome } from './lib/cli';
import { runBenchCommand } from './lib/cli';
import { benchE2e } from './e2e.bench';
import { benchIntake } from './intake.bench';
import { exerciseCardFlows, scanSession } from './leaks.bench';

/**
 * `npm run bench`: the short version of every bench in one run (its own stack and Redis for chaos;
 * one shared stack for end to end, intake and abuse), then the leak scan over all they left.
 * Exits non-zero on any broken invariant; timing targets are reported, not enforced.
 */
async function benchAll(context: BenchContext): Promise<BenchOutcome> {
  const report: Record<string, unknown> = {
    note:
      'short run on one shared stack with OTEL and info logs: timings are indicative only; ' +
      'the figures of record come from the separate commands (npm run bench:intake, bench:e2e)',
  };
  const violations: string[] = [];
  const record = (name: string, outcome: BenchOutcome) => {
    report[name] = outcome.report;
    violations.push(...outcome.violations.map((v) => `${name}: ${v}`));
  };
  // Chaos first, on an empty database: every bench's worker runs a janitor over the whole
  // database, and leftovers of the others (stopped mid-flight) would be re-driven here.
  record('chaos', await benchChaos({ ...context, short: true, otel: true }));
  const shared = await context.session.startStack('main', { otel: true, loopProbe: true });
  try {
    const withStack = { ...context, short: true, otel: true, stack: shared };
    record('e2e', await benchE2e(withStack));
    report.cardFlowsForLeakScan = await exerciseCardFlows(shared.stack);
    record('intake', await benchIntake(withStack));
    record('abuse', await benchAbuse(withStack));
  } finally {
    await shared.stack.close();
  }
  context.log('leak scan');
  record(
    'leaks',
    await scanSession(context.session).then(({ violations: v, ...r }) => ({
      report: r,
      violations: v,
    })),
  );
  return { report, violations };
}

if (require.main === module) {
  if (!process.argv.includes('--short')) process.argv.push('--short');
  runBenchCommand('bench', benchAll, { otel: true });
}
