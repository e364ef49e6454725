import { createHash, randomBytes } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  findMigrationsDir,
  readMigrationFiles,
} from '../../libs/persistence/src/migrate/migration-files';
import { MigrationRunner } from '../../libs/persistence/src/migrate/migration-runner';
import { MigrationError } from '../../libs/persistence/src/migrate/migration.error';
import {
  createDatabaseIfMissing,
  dropDatabase,
  TEST_DATABASE_URL,
  withDatabase,
} from '../support/database';

const REPO_MIGRATIONS = findMigrationsDir(__dirname);

describe('MigrationRunner (real PostgreSQL)', () => {
  const databases: string[] = [];
  const directories: string[] = [];

  /** A throwaway database on the test server, dropped after the test. */
  async function freshDatabase(): Promise<string> {
    const url = withDatabase(
      TEST_DATABASE_URL,
      `psp_migrate_test_${randomBytes(4).toString('hex')}`,
    );
    await createDatabaseIfMissing(url);
    databases.push(url);
    return url;
  }

  /** A copy of the repository's migrations, plus extra ones, that the test may edit. */
  function migrationsCopy(extra: Record<string, string> = {}): string {
    const dir = mkdtempSync(join(tmpdir(), 'psp-migrations-'));
    directories.push(dir);
    cpSync(REPO_MIGRATIONS, dir, { recursive: true });
    for (const [name, script] of Object.entries(extra)) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'migration.sql'), script);
    }
    return dir;
  }

  async function query<T extends object>(url: string, sql: string): Promise<T[]> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  async function tableExists(url: string, table: string): Promise<boolean> {
    const rows = await query<{ found: string | null }>(
      url,
      `SELECT to_regclass('"${table}"') AS found`,
    );
    return rows[0].found !== null;
  }

  async function rejection(promise: Promise<unknown>): Promise<MigrationError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MigrationError);
    return error as MigrationError;
  }

  afterEach(async () => {
    for (const url of databases.splice(0)) await dropDatabase(url);
    for (const dir of directories.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('has at least one migration to test with', () => {
    expect(readMigrationFiles(REPO_MIGRATIONS).length).toBeGreaterThan(0);
  });

  it('applies every migration once, then nothing on the next run', async () => {
    const url = await freshDatabase();
    const names = readMigrationFiles(REPO_MIGRATIONS).map((file) => file.name);
    const runner = new MigrationRunner({ databaseUrl: url, migrationsDir: REPO_MIGRATIONS });

    expect(await runner.deploy()).toEqual({ applied: names, alreadyApplied: 0 });
    expect(await tableExists(url, 'Payment')).toBe(true);
    expect(await runner.deploy()).toEqual({ applied: [], alreadyApplied: names.length });
    const rows = await query<{ count: string }>(url, 'SELECT count(*) FROM _prisma_migrations');
    expect(Number(rows[0].count)).toBe(names.length);
  });

  it('records each migration the way Prisma does', async () => {
    const url = await freshDatabase();
    await new MigrationRunner({ databaseUrl: url, migrationsDir: REPO_MIGRATIONS }).deploy();

    const rows = await query<Record<string, unknown>>(
      url,
      `SELECT id, checksum, migration_name, logs, rolled_back_at, applied_steps_count,
              finished_at >= started_at AS finished_after_start
         FROM _prisma_migrations ORDER BY started_at`,
    );
    const files = readMigrationFiles(REPO_MIGRATIONS);
    expect(rows).toEqual(
      files.map((file) => ({
        id: expect.stringMatching(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        ),
        checksum: createHash('sha256').update(readFileSync(file.path)).digest('hex'),
        migration_name: file.name,
        logs: null,
        rolled_back_at: null,
        applied_steps_count: 1,
        finished_after_start: true,
      })),
    );
    const columns = await query<Record<string, unknown>>(
      url,
      `SELECT column_name, data_type, character_maximum_length AS length, is_nullable
         FROM information_schema.columns WHERE table_name = '_prisma_migrations'
        ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'character varying', length: 36, is_nullable: 'NO' },
      { column_name: 'checksum', data_type: 'character varying', length: 64, is_nullable: 'NO' },
      {
        column_name: 'finished_at',
        data_type: 'timestamp with time zone',
        length: null,
        is_nullable: 'YES',
      },
      {
        column_name: 'migration_name',
        data_type: 'character varying',
        length: 255,
        is_nullable: 'NO',
      },
      { column_name: 'logs', data_type: 'text', length: null, is_nullable: 'YES' },
      {
        column_name: 'rolled_back_at',
        data_type: 'timestamp with time zone',
        length: null,
        is_nullable: 'YES',
      },
      {
        column_name: 'started_at',
        data_type: 'timestamp with time zone',
        length: null,
        is_nullable: 'NO',
      },
      { column_name: 'applied_steps_count', data_type: 'integer', length: null, is_nullable: 'NO' },
    ]);
  });

  it('refuses to run when an applied migration was modified', async () => {
    const url = await freshDatabase();
    const dir = migrationsCopy();
    const runner = new MigrationRunner({ databaseUrl: url, migrationsDir: dir });
    await runner.deploy();

    const [first] = readMigrationFiles(dir);
    appendFileSync(first.path, '\n-- edited after it was applied\n');
    const error = await rejection(runner.deploy());

    expect(error.code).toBe('MIGRATION_MODIFIED');
    expect(error.migrationName).toBe(first.name);
  });

  it('rolls a failing migration back entirely and blocks later runs until resolved', async () => {
    const url = await freshDatabase();
    const broken = '29990101000000_broken';
    const dir = migrationsCopy({
      [broken]: 'CREATE TABLE "Half" ("id" INTEGER);\nSELECT 1 / 0;\n',
      '29990102000000_after': 'CREATE TABLE "After" ("id" INTEGER);\n',
    });
    const runner = new MigrationRunner({ databaseUrl: url, migrationsDir: dir });

    const failure = await rejection(runner.deploy());
    expect(failure.code).toBe('MIGRATION_FAILED');
    expect(failure.migrationName).toBe(broken);
    expect(await tableExists(url, 'Payment')).toBe(true);
    expect(await tableExists(url, 'Half')).toBe(false);
    expect(await tableExists(url, 'After')).toBe(false);
    const [row] = await query<Record<string, unknown>>(
      url,
      `SELECT finished_at, rolled_back_at, applied_steps_count, logs
         FROM _prisma_migrations WHERE migration_name = '${broken}'`,
    );
    expect(row).toEqual({
      finished_at: null,
      rolled_back_at: null,
      applied_steps_count: 0,
      logs: expect.stringContaining('division by zero'),
    });

    const blocked = await rejection(runner.deploy());
    expect(blocked.code).toBe('FAILED_MIGRATION_PRESENT');
    expect(blocked.migrationName).toBe(broken);
    expect(await tableExists(url, 'After')).toBe(false);

    writeFileSync(join(dir, broken, 'migration.sql'), 'CREATE TABLE "Half" ("id" INTEGER);\n');
    await runner.markRolledBack(broken);
    expect(await runner.deploy()).toMatchObject({ applied: [broken, '29990102000000_after'] });
    expect(await tableExists(url, 'Half')).toBe(true);
    expect(await tableExists(url, 'After')).toBe(true);
  });

  it('applies each migration exactly once when two runners race (advisory lock)', async () => {
    const url = await freshDatabase();
    const dir = migrationsCopy({
      '29990101000000_second': 'CREATE TABLE "Second" ("id" INTEGER);\n',
      '29990102000000_third': 'CREATE TABLE "Third" ("id" INTEGER);\n',
    });
    const names = readMigrationFiles(dir).map((file) => file.name);
    const runner = () => new MigrationRunner({ databaseUrl: url, migrationsDir: dir });

    const results = await Promise.all([runner().deploy(), runner().deploy(), runner().deploy()]);

    expect(results.flatMap((result) => result.applied).sort()).toEqual(names);
    const rows = await query<{ migration_name: string; count: string }>(
      url,
      'SELECT migration_name, count(*) FROM _prisma_migrations GROUP BY migration_name ORDER BY 1',
    );
    expect(rows).toEqual(names.map((name) => ({ migration_name: name, count: '1' })));
  });
});
