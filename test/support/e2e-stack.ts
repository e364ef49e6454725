import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startStack, type Stack, type StackOptions } from '../../scripts/stack/stack';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './database';

/** The real processes against the test database and Redis, with their own key pair and logs. */
export function startTestStack(env?: StackOptions['env']): Promise<Stack> {
  return startStack({
    databaseUrl: TEST_DATABASE_URL,
    redisUrl: TEST_REDIS_URL,
    workDir: mkdtempSync(join(tmpdir(), 'psp-e2e-')),
    env,
  });
}

/** Runs one SQL query against the test database. */
export async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}
