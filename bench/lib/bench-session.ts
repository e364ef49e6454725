import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import {
  REPO_ROOT,
  type ServiceName,
  type Stack,
  type StackOptions,
  startStack,
} from '../../scripts/stack/stack';
import { BENCH_DATABASE_URL, prepareDatabase } from './bench-database';
import { OtlpSink } from './otlp-sink';
import { PrivateRedis } from './private-redis';

export interface RedisTarget {
  label: string;
  url: string;
  pattern: string;
}

export interface BenchStackOptions {
  redisUrl?: string;
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  nodeArgs?: StackOptions['nodeArgs'];
  logLevel?: string;
  /** Export traces to the session's OTLP sink (scanned for leaks). */
  otel?: boolean;
  /** Preload the event-loop probe into the gateway. */
  loopProbe?: boolean;
}

export interface BenchStack {
  stack: Stack;
  name: string;
  workDir: string;
  loopProbeFile?: string;
}

export interface SessionOptions {
  root?: string;
  databaseUrl?: string;
  redisUrl?: string;
  /** Every key the session's stacks write on the shared Redis starts with `{<keyPrefix>-`. */
  keyPrefix?: string;
}

/** Deletes the keys matching `pattern` (a previous run's leftovers). */
export async function deleteKeys(url: string, pattern: string): Promise<number> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/**
 * One benchmark run: its own database (migrated and emptied at the start), unique Redis prefixes,
 * its stacks, and what they leave behind (logs, exported traces, Redis keys) for the leak scan.
 */
export class BenchSession {
  readonly logDirs: string[] = [];
  readonly traceFiles: string[] = [];
  readonly redisTargets: RedisTarget[] = [];
  private readonly closers: (() => Promise<void>)[] = [];
  private sinkUrl: string | undefined;

  private constructor(
    readonly root: string,
    readonly databaseUrl: string,
    readonly redisUrl: string,
    private readonly keyPrefix: string,
  ) {}

  static async open(options: SessionOptions = {}): Promise<BenchSession> {
    const root = options.root ?? join(REPO_ROOT, '.data', 'bench');
    const databaseUrl = options.databaseUrl ?? BENCH_DATABASE_URL;
    const redisUrl = options.redisUrl ?? (process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379');
    const keyPrefix = options.keyPrefix ?? 'bench';
    const pattern = `{${keyPrefix}-*`;
    await prepareDatabase(databaseUrl);
    await deleteKeys(redisUrl, pattern);
    const session = new BenchSession(root, databaseUrl, redisUrl, keyPrefix);
    session.redisTargets.push({ label: 'redis', url: redisUrl, pattern });
    return session;
  }

  /** A redis-server of the session's own (chaos): restarted at will, stopped at close. */
  async privateRedis(name: string): Promise<PrivateRedis> {
    const redis = await PrivateRedis.start(join(this.root, name, 'redis'));
    this.closers.push(() => redis.stop());
    this.redisTargets.push({ label: `${name} private redis`, url: redis.url, pattern: '*' });
    return redis;
  }

  async otlpEndpoint(): Promise<string> {
    if (!this.sinkUrl) {
      const sink = new OtlpSink(join(this.root, 'traces', 'otlp.jsonl'));
      this.sinkUrl = await sink.start();
      this.traceFiles.push(sink.file);
      this.closers.push(() => sink.stop());
    }
    return this.sinkUrl;
  }

  async startStack(name: string, options: BenchStackOptions = {}): Promise<BenchStack> {
    const workDir = join(this.root, name);
    rmSync(join(workDir, 'logs'), { recursive: true, force: true });
    mkdirSync(join(workDir, 'plans'), { recursive: true });
    const prefix = `{${this.keyPrefix}-${name}-${randomBytes(3).toString('hex')}}`;
    const common: Record<string, string> = {
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: options.logLevel ?? 'info',
    };
    if (options.otel) {
      Object.assign(common, {
        OTEL_ENABLED: 'true',
        OTEL_EXPORTER_OTLP_ENDPOINT: await this.otlpEndpoint(),
        OTEL_BSP_SCHEDULE_DELAY: '500',
      });
    }
    const loopProbeFile = options.loopProbe ? join(workDir, 'logs', 'loop-lag.jsonl') : undefined;
    const envFor = (service: ServiceName, extra: Record<string, string> = {}) => ({
      ...common,
      ...extra,
      ...options.env?.[service],
    });
    const stack = await startStack({
      databaseUrl: this.databaseUrl,
      redisUrl: options.redisUrl ?? this.redisUrl,
      workDir,
      env: {
        sandbox: envFor('sandbox'),
        gateway: envFor('gateway', loopProbeFile ? { BENCH_LOOP_PROBE_FILE: loopProbeFile } : {}),
        worker: envFor('worker'),
      },
      nodeArgs: {
        ...options.nodeArgs,
        gateway: [
          ...(loopProbeFile ? ['--require', join(__dirname, 'loop-probe.js')] : []),
          ...(options.nodeArgs?.gateway ?? []),
        ],
      },
    });
    this.closers.push(() => stack.close());
    this.logDirs.push(stack.logDir);
    return { stack, name, workDir, loopProbeFile };
  }

  async close(): Promise<void> {
    for (const close of this.closers.reverse()) {
      await close().catch((error: unknown) => console.error('bench: close failed', error));
    }
    this.closers.length = 0;
  }
}
