import { findMigrationsDir } from '../../libs/persistence/src/migrate/migration-files';
import { MigrationRunner } from '../../libs/persistence/src/migrate/migration-runner';
import { createDatabaseIfMissing, TEST_DATABASE_URL, truncateAll } from './database';

/**
 * Jest globalSetup of the integration and e2e projects: the test database is migrated and every
 * application table emptied, so each run starts from the same state. Redis is left alone: tests use
 * their own BullMQ prefixes.
 */
export default async function globalSetup(): Promise<void> {
  await createDatabaseIfMissing(TEST_DATABASE_URL);
  await new MigrationRunner({
    databaseUrl: TEST_DATABASE_URL,
    migrationsDir: findMigrationsDir(__dirname),
  }).deploy();
  await truncateAll(TEST_DATABASE_URL);
}
