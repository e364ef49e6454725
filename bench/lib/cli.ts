import { loadavg } from 'node:os';
import { BenchSession } from './bench-session';
import type { BenchStack } from './bench-session';
import { machine } from './machine';
import { writeReport } from './report';
import { round } from './stats';

export interface BenchContext {
  session: BenchSession;
  /** The short version (`--short`, and always in `npm run bench`): smaller counts, same checks. */
  short: boolean;
  /** Export traces to the session's OTLP sink, for the leak scan. */
  otel: boolean;
  /** A stack already running, shared between benches of one run. */
  stack?: BenchStack;
  log: (line: string) => void;
}

export interface BenchOutcome {
  report: Record<string, unknown>;
  /** Broken invariants (never missed timing targets): any makes the command exit non-zero. */
  violations: string[];
}

/** Runs one bench as a command: session, report (bench/results), verdict and exit code. */
export function runBenchCommand(
  name: string,
  bench: (context: BenchContext) => Promise<BenchOutcome>,
  options: { otel?: boolean } = {},
): void {
  const short = process.argv.includes('--short');
  const log = (line: string) => console.log(`[${name}] ${line}`);
  const started = Date.now();
  const described = machine();
  let session: BenchSession | undefined;
  const main = async () => {
    session = await BenchSession.open();
    const outcome = await bench({ session, short, otel: options.otel ?? false, log });
    await session.close();
    writeReport(short ? `${name}-short` : name, {
      machine: { ...described, loadAverage1mAtEnd: round(loadavg()[0], 2) },
      mode: short ? 'short' : 'full',
      durationSeconds: round((Date.now() - started) / 1000),
      ...outcome.report,
      violations: outcome.violations,
    });
    if (outcome.violations.length > 0) {
      console.error(`${name}: ${outcome.violations.length} violated invariant(s):`);
      for (const v of outcome.violations.slice(0, 30)) console.error(`  - ${v}`);
      process.exitCode = 1;
    } else console.log(`${name}: every invariant held`);
  };
  main().catch(async (error: unknown) => {
    console.error(error);
    await session?.close();
    process.exit(1);
  });
}
