import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareAbuseTargets, runAbuse } from '../../bench/lib/abuse';
import { type BenchStack, BenchSession } from '../../bench/lib/bench-session';
import { runChaos, runInFlightCrash } from '../../bench/lib/chaos';
import { scanLeaks } from '../../bench/lib/leak-scan';
import type { PrivateRedis } from '../../bench/lib/private-redis';
import { databaseName, TEST_DATABASE_URL, TEST_REDIS_URL, withDatabase } from '../support/database';

jest.setTimeout(240_000);

/**
 * The invariants of the benchmarks (bench/, same code), small enough for every CI run: a chaos
 * round (gateway and worker kill -9, a private Redis restarted without persistence), the worker
 * killed mid-authorization before a Redis restart, a fuzzing run over every public endpoint, and
 * the leak scan of everything they left. Its own database:
 * the scan reads every row, and other suites' rows are not this suite's to judge.
 */
const DATABASE_URL = withDatabase(
  TEST_DATABASE_URL,
  `${databaseName(TEST_DATABASE_URL)}_resilience`,
);
const SEED = Number(process.env.RESILIENCE_SEED) || 20_261_121;

describe('resilience under crashes, abuse and the leak scan', () => {
  let session: BenchSession;
  let redis: PrivateRedis;
  let bench: BenchStack;

  beforeAll(async () => {
    session = await BenchSession.open({
      root: mkdtempSync(join(tmpdir(), 'psp-resilience-')),
      databaseUrl: DATABASE_URL,
      redisUrl: TEST_REDIS_URL,
      keyPrefix: 'resilience',
    });
    redis = await session.privateRedis('chaos');
    bench = await session.startStack('resilience', {
      redisUrl: redis.url,
      otel: true,
      env: { worker: { JANITOR_INTERVAL_MS: '1000', JANITOR_GRACE_MS: '2000' } },
    });
  });

  afterAll(async () => {
    await session?.close();
  });

  it('patches every acked callback exactly once, authorizes at most once, across kill -9', async () => {
    const result = await runChaos(
      {
        stack: bench.stack,
        redis,
        databaseUrl: DATABASE_URL,
        planDir: join(bench.workDir, 'plans'),
      },
      {
        ratePerSecond: 4,
        durationMs: 12_000,
        faults: ['gateway', 'worker', 'redis'],
        settleTimeoutMs: 60_000,
        seed: SEED,
      },
    );

    expect(result.violations).toEqual([]);
    expect(result.faults.map((f) => f.fault).sort()).toEqual(['gateway', 'redis', 'worker']);
    expect(result.check.acked).toBeGreaterThanOrEqual(40);
    expect(result.check.succeeded + result.check.failed).toBe(result.check.acked);
  });

  it('patches before the deadline when the worker dies mid-authorization and Redis restarts empty', async () => {
    const result = await runInFlightCrash({
      stack: bench.stack,
      redis,
      databaseUrl: DATABASE_URL,
      planDir: join(bench.workDir, 'plans'),
    });

    expect(result.violations).toEqual([]);
    expect(result.check.acked).toBe(1);
    expect(result.check.latePatches).toBe(0);
  });

  it('answers hostile requests on every public endpoint without a 5xx, a hang or a crash', async () => {
    const targets = await prepareAbuseTargets(bench.stack);
    const result = await runAbuse(bench.stack, targets, { runs: 250, seed: SEED });

    expect(result.violations).toEqual([]);
    expect(result.families).toBeGreaterThan(40);
    expect(result.processesAlive).toBe(true);
  });

  it('leaves no card number in logs, traces, Redis or any database row', async () => {
    // SIGTERM first: the last log lines and spans are flushed before the scan.
    await bench.stack.close();
    const result = await scanLeaks({
      logDirs: session.logDirs,
      traceFiles: session.traceFiles,
      redis: session.redisTargets,
      databaseUrl: DATABASE_URL,
    });

    expect(result.violations).toEqual([]);
    expect(result.scanned.logBytes).toBeGreaterThan(10_000);
    expect(result.scanned.traceBytes).toBeGreaterThan(10_000);
    expect(result.scanned.redisKeys).toBeGreaterThan(0);
    expect(result.scanned.databaseRows).toBeGreaterThan(100);
  });

  it('the leak scan does find card numbers, and only card numbers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'psp-planted-'));
    writeFileSync(
      join(dir, 'planted.log'),
      [
        '{"time":1763741234567,"masked":"411111******1111","msg":"fine"}',
        '{"spanId":"4556737586899855","traceId":"0af7651916cd43dd8448eb211c80319c"}',
        '{"msg":"leaked","card":"4111111111111111"}',
        '{"msg":"leaked","pan":"4556737586899855"}',
      ].join('\n'),
    );
    const result = await scanLeaks({
      logDirs: [dir],
      traceFiles: [],
      redis: [],
      databaseUrl: DATABASE_URL,
      tables: ['Merchant'],
    });

    expect(result.hits.map((hit) => [hit.where.split(':').pop(), hit.kind, hit.card])).toEqual([
      ['3', 'exact', '411111******1111'],
      ['4', 'luhn', '455673******9855'],
    ]);
  });
});
