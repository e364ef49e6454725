import { Client } from 'pg';
import { findMigrationsDir } from '../../libs/persistence/src/migrate/migration-files';
import { MigrationError } from '../../libs/persistence/src/migrate/migration.error';
import { MigrationRunner } from '../../libs/persistence/src/migrate/migration-runner';

/** Benchmarks never touch the dev database: they own this one (created and migrated on demand). */
export const BENCH_DATABASE_URL =
  process.env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/psp_gateway_bench';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  return withClient(url, async (client) => (await client.query(sql, params)).rows as T[]);
}

/**
 * Creates the database if missing, applies the migrations and empties every application table.
 * The database is the benchmarks' own: one whose history no longer matches the migrations
 * directory (a migration regenerated during development) is recreated, as scripts/setup.sh does
 * for the local test databases.
 */
export async function prepareDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const adminUrl = withDatabase(url, 'postgres');
  const admin = (sql: string) => withClient(adminUrl, (c) => c.query(sql));
  const found = await query(adminUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (found.length === 0) await admin(`CREATE DATABASE ${quoteIdent(name)}`);
  const migrate = () =>
    new MigrationRunner({ databaseUrl: url, migrationsDir: findMigrationsDir(__dirname) }).deploy();
  try {
    await migrate();
  } catch (error) {
    if (!(error instanceof MigrationError)) throw error;
    await admin(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${quoteIdent(name)}`);
    await migrate();
  }
  await withClient(url, async (client) => {
    const { rows } = await client.query<{ name: string }>(
      `SELECT quote_ident(tablename) AS name FROM pg_tables
        WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`,
    );
    if (rows.length > 0) {
      await client.query(
        `TRUNCATE TABLE ${rows.map((row) => row.name).join(', ')} RESTART IDENTITY CASCADE`,
      );
    }
  });
}
