import { randomUUID } from 'node:crypto';
import { Client, type DatabaseError } from 'pg';
import { matchesChecksum, type MigrationFile, readMigrationFiles } from './migration-files';
import { MigrationError } from './migration.error';

/** Prisma Migrate's advisory lock key: our runner and `prisma migrate` exclude each other. */
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

/** Byte for byte the table Prisma's schema engine creates (sql-schema-connector, PostgreSQL flavour). */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

interface MigrationRow {
  id: string;
  migration_name: string;
  checksum: string;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export interface MigrationRunnerOptions {
  databaseUrl: string;
  migrationsDir: string;
  log?: (line: string) => void;
}

export interface MigrationRunResult {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies `prisma/migrations/<timestamp>_<name>/migration.sql` in order and records them in
 * `_prisma_migrations` exactly like `prisma migrate deploy`, without Prisma's native schema engine.
 * Unlike Prisma, each migration and its bookkeeping row commit in one transaction, so a failed
 * migration leaves no partial schema behind — only the failed row, which blocks further runs.
 */
export class MigrationRunner {
  private readonly log: (line: string) => void;

  constructor(private readonly options: MigrationRunnerOptions) {
    this.log = options.log ?? (() => undefined);
  }

  /** `prisma migrate deploy`: applies every migration not yet applied. */
  async deploy(): Promise<MigrationRunResult> {
    const files = readMigrationFiles(this.options.migrationsDir);
    return this.withLock(async (client) => {
      const rows = await this.appliedRows(client);
      this.refuseUnsafeHistory(files, rows);
      const applied = new Set(rows.map((row) => row.migration_name));
      const pending = files.filter((file) => !applied.has(file.name));
      for (const file of pending) {
        await this.apply(client, file);
        this.log(`applied migration ${file.name}`);
      }
      return {
        applied: pending.map((file) => file.name),
        alreadyApplied: files.length - pending.length,
      };
    });
  }

  /**
   * `prisma migrate resolve --rolled-back <name>`: after a failed migration has been investigated
   * (and its partial effects, if any, undone), lets the next deploy retry it.
   */
  async markRolledBack(migrationName: string): Promise<void> {
    await this.withLock(async (client) => {
      const result = await client.query(
        `UPDATE _prisma_migrations SET rolled_back_at = now()
          WHERE migration_name = $1 AND finished_at IS NULL AND rolled_back_at IS NULL`,
        [migrationName],
      );
      if (result.rowCount === 0) {
        throw new MigrationError(
          'NOT_A_FAILED_MIGRATION',
          `migration ${migrationName} is not in a failed state; nothing to mark as rolled back`,
          migrationName,
        );
      }
      this.log(`marked migration ${migrationName} as rolled back`);
    });
  }

  private async withLock<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: this.options.databaseUrl });
    await client.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
      await client.query(CREATE_MIGRATIONS_TABLE);
      return await work(client);
    } finally {
      // Closing the session releases the advisory lock even if the unlock query fails.
      await client
        .query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_KEY])
        .catch(() => {});
      await client.end();
    }
  }

  /** Rows that still count: Prisma ignores migrations marked as rolled back. */
  private async appliedRows(client: Client): Promise<MigrationRow[]> {
    const result = await client.query<MigrationRow>(
      `SELECT id, migration_name, checksum, started_at, finished_at, rolled_back_at
         FROM _prisma_migrations WHERE rolled_back_at IS NULL ORDER BY started_at`,
    );
    return result.rows;
  }

  private refuseUnsafeHistory(files: MigrationFile[], rows: MigrationRow[]): void {
    const failed = rows.find((row) => row.finished_at === null);
    if (failed) {
      throw new MigrationError(
        'FAILED_MIGRATION_PRESENT',
        `Found a failed migration in the target database; new migrations will not be applied (P3009).\n` +
          `The ${failed.migration_name} migration started at ${failed.started_at.toISOString()} failed. ` +
          `Undo its effects if any, then run the migrate CLI with --mark-rolled-back ${failed.migration_name}.`,
        failed.migration_name,
      );
    }
    const byName = new Map(files.map((file) => [file.name, file]));
    for (const row of rows) {
      const file = byName.get(row.migration_name);
      if (!file) {
        this.log(
          `warning: applied migration ${row.migration_name} is missing from the migrations directory`,
        );
      } else if (!matchesChecksum(file, row.checksum)) {
        throw new MigrationError(
          'MIGRATION_MODIFIED',
          `The migration ${row.migration_name} was modified after it was applied ` +
            `(checksum ${row.checksum} in the database, ${file.checksum} on disk). ` +
            `Restore the original file and put the change in a new migration.`,
          row.migration_name,
        );
      }
    }
  }

  private async apply(client: Client, file: MigrationFile): Promise<void> {
    const id = randomUUID();
    // Recorded before the attempt and outside its transaction, as Prisma does, so that a failure (or
    // a crash) leaves a row that stops the next deploy until someone has looked at it.
    await client.query(
      `INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES ($1, $2, now(), $3)`,
      [id, file.checksum, file.name],
    );
    try {
      await client.query('BEGIN');
      // No parameters: the simple query protocol runs the whole multi-statement script.
      await client.query(file.script);
      await client.query(
        `UPDATE _prisma_migrations
            SET applied_steps_count = applied_steps_count + 1, finished_at = clock_timestamp()
          WHERE id = $1`,
        [id],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      const logs = describeDatabaseError(error);
      await client.query('UPDATE _prisma_migrations SET logs = $2 WHERE id = $1', [id, logs]);
      throw new MigrationError(
        'MIGRATION_FAILED',
        `Migration ${file.name} failed to apply and was rolled back (P3018). New migrations cannot be ` +
          `applied before the error is recovered from.\n${logs}`,
        file.name,
      );
    }
  }
}

function describeDatabaseError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const db = error as Partial<DatabaseError>;
  const parts = [
    db.code ? `Database error code: ${db.code}` : undefined,
    `Database error: ${error.message}`,
  ];
  if (db.detail) parts.push(`DETAIL: ${db.detail}`);
  if (db.position) parts.push(`Position: ${db.position}`);
  return parts.filter(Boolean).join('\n');
}
