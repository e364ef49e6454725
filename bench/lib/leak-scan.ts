import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { ACQUIRER_TEST_CARDS } from '../../apps/sandbox/src/acquirers/test-cards';
import { TEST_WALLET } from '../../apps/sandbox/src/mobilepay/test-wallet';
import { MASTERCARD_TEST_TOKEN, VISA_TEST_TOKEN } from '../../scripts/stack/mobilepay-callbacks';
import { withClient } from './bench-database';
import type { RedisTarget } from './bench-session';
import { findCardNumbers, maskCardNumber, maskedContext } from './card-number-finder';
import { findSecrets, maskSecret } from './secret-finder';

/** Every test PAN and network token the runs send (tokens of scripts/stack/mobilepay-callbacks). */
export const KNOWN_CARD_NUMBERS: readonly string[] = [
  ...new Set([
    ...TEST_WALLET.map((card) => card.pan),
    ...ACQUIRER_TEST_CARDS.map((card) => card.pan),
    VISA_TEST_TOKEN,
    MASTERCARD_TEST_TOKEN,
  ]),
];

export interface LeakSources {
  logDirs: string[];
  traceFiles: string[];
  redis: RedisTarget[];
  databaseUrl: string;
  /** Database rows of these tables only (default: every table). */
  tables?: string[];
  /** Secrets the run was shown (API keys, webhook secrets), searched for as they are. */
  secrets?: string[];
}

export interface LeakHit {
  source: 'log' | 'trace' | 'redis' | 'database';
  where: string;
  /** A card number (`exact`, `luhn`) or a shown-once secret (`secret`). */
  kind: 'exact' | 'luhn' | 'secret';
  /** What was found, masked. */
  card: string;
  context: string;
}

export interface LeakScanResult {
  scanned: Record<string, number>;
  hits: LeakHit[];
  violations: string[];
}

/**
 * Trace and span ids are random hex that we generate; one made only of decimal digits can pass
 * Luhn. They are blanked (same length, so positions hold) before the search, in log lines
 * (`trace_id`, `span_id`) and in exported spans (`traceId`, `spanId`, `parentSpanId`) alike.
 */
const TRACE_ID_FIELDS =
  /("(?:trace_id|span_id|traceId|spanId|parentSpanId)":")([0-9a-f]{32}|[0-9a-f]{16})"/g;

export function withoutTraceIds(text: string): string {
  return text.replace(
    TRACE_ID_FIELDS,
    (_m, key: string, id: string) => `${key}${'x'.repeat(id.length)}"`,
  );
}

class Scanner {
  readonly hits: LeakHit[] = [];
  readonly scanned: Record<string, number> = {};

  constructor(private readonly secrets: readonly string[]) {}

  scan(source: LeakHit['source'], where: string, raw: string): void {
    const text = withoutTraceIds(raw);
    this.scanned[`${source}Bytes`] = (this.scanned[`${source}Bytes`] ?? 0) + text.length;
    const at = (index: number) => {
      const line = text.slice(0, index).split('\n').length;
      return source === 'log' || source === 'trace' ? `${where}:${line}` : where;
    };
    for (const hit of findCardNumbers(text, KNOWN_CARD_NUMBERS)) {
      if (this.hits.length >= 200) return;
      this.hits.push({
        source,
        where: at(hit.index),
        kind: hit.kind,
        card: maskCardNumber(hit.value),
        context: maskedContext(text, hit.index, hit.value.length),
      });
    }
    for (const hit of findSecrets(text, this.secrets)) {
      if (this.hits.length >= 200) return;
      const before = text.slice(Math.max(0, hit.index - 60), hit.index);
      this.hits.push({
        source,
        where: at(hit.index),
        kind: 'secret',
        card: maskSecret(hit.value),
        context: `${before.replace(/\s+/g, ' ')}${maskSecret(hit.value)}`,
      });
    }
  }

  count(what: string, n = 1): void {
    this.scanned[what] = (this.scanned[what] ?? 0) + n;
  }
}

function scanFiles(scanner: Scanner, source: 'log' | 'trace', files: string[]): void {
  for (const file of files) {
    if (!existsSync(file) || !statSync(file).isFile()) continue;
    scanner.count(`${source}Files`);
    scanner.scan(source, file, readFileSync(file, 'utf8'));
  }
}

async function dumpKey(redis: Redis, key: string): Promise<string> {
  switch (await redis.type(key)) {
    case 'string':
      return (await redis.get(key)) ?? '';
    case 'hash':
      return JSON.stringify(await redis.hgetall(key));
    case 'list':
      return JSON.stringify(await redis.lrange(key, 0, -1));
    case 'set':
      return JSON.stringify(await redis.smembers(key));
    case 'zset':
      return JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES'));
    case 'stream':
      return JSON.stringify(await redis.xrange(key, '-', '+'));
    default:
      return '';
  }
}

async function scanRedis(scanner: Scanner, target: RedisTarget): Promise<void> {
  const redis = new Redis(target.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', target.pattern, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        scanner.count('redisKeys');
        scanner.scan('redis', `${target.label} ${key}`, `${key}\n${await dumpKey(redis, key)}`);
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function scanDatabase(scanner: Scanner, url: string, only?: string[]): Promise<void> {
  await withClient(url, async (client) => {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
          AND table_name <> '_prisma_migrations'`,
    );
    for (const { name } of tables) {
      if (only && !only.includes(name)) continue;
      const quoted = `"${name.replace(/"/g, '""')}"`;
      const { rows } = await client.query<{ j: string }>(
        `SELECT row_to_json(t)::text AS j FROM ${quoted} t`,
      );
      scanner.count('databaseTables');
      scanner.count('databaseRows', rows.length);
      scanner.scan('database', name, rows.map((row) => row.j).join('\n'));
      // row_to_json shows bytea as hex: look at the bytes themselves too.
      const { rows: binary } = await client.query<{ column: string }>(
        `SELECT column_name AS column FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = $1 AND data_type = 'bytea'`,
        [name],
      );
      for (const { column } of binary) {
        const { rows: values } = await client.query<{ v: Buffer | null }>(
          `SELECT "${column.replace(/"/g, '""')}" AS v FROM ${quoted}`,
        );
        const text = values.map((row) => row.v?.toString('latin1') ?? '').join('\n');
        scanner.scan('database', `${name}.${column} (bytes)`, text);
      }
    }
  });
}

/**
 * Searches everything a run left behind — log files, exported traces, Redis keys and values, every
 * row of every table (but Prisma's migration history, whose names start with a 14-digit
 * timestamp) — for card numbers (DESIGN §4.3) and for the secrets shown once: API keys and
 * webhook signing secrets, by their shapes and as the values the run was given. Hits are reported
 * masked.
 */
export async function scanLeaks(sources: LeakSources): Promise<LeakScanResult> {
  // The scan must be able to fail: a planted number is found, a masked one is not.
  if (findCardNumbers('{"pan":"4111111111111111","masked":"411111******1111"}', []).length !== 1)
    throw new Error('leak scan self-test failed');
  if (
    findSecrets(`{"apiKey":"psk_${'0'.repeat(16)}_${'A'.repeat(43)}","prefix":"psk_x"}`).length !==
    1
  )
    throw new Error('leak scan self-test failed (secrets)');
  const scanner = new Scanner(sources.secrets ?? []);
  for (const dir of sources.logDirs) {
    if (existsSync(dir))
      scanFiles(
        scanner,
        'log',
        readdirSync(dir).map((f) => join(dir, f)),
      );
  }
  scanFiles(scanner, 'trace', sources.traceFiles);
  for (const target of sources.redis) await scanRedis(scanner, target);
  await scanDatabase(scanner, sources.databaseUrl, sources.tables);
  const violations = scanner.hits.map(
    (hit) => `${hit.source} ${hit.where}: ${hit.kind} ${hit.card} in …${hit.context}…`,
  );
  if (!scanner.scanned.logBytes)
    violations.push('no log line was scanned: the scan proves nothing');
  if (!scanner.scanned.databaseRows) violations.push('no database row was scanned');
  return { scanned: scanner.scanned, hits: scanner.hits, violations };
}
