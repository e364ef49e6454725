import { resolve } from 'node:path';
import { findMigrationsDir } from './migration-files';
import { MigrationRunner } from './migration-runner';
import { MigrationError } from './migration.error';
import { loadMigrateConfig } from './migrate.config';

const USAGE = `usage: node dist/libs/persistence/src/migrate/migrate.cli.js [--mark-rolled-back <migration>]
Applies pending prisma/migrations to DATABASE_URL (like \`prisma migrate deploy\`).
  --mark-rolled-back <migration>  after fixing a failed migration by hand, let the next run retry it`;

async function main(args: string[]): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const config = loadMigrateConfig();
  const migrationsDir = config.migrationsDir ? resolve(config.migrationsDir) : findMigrationsDir();
  const runner = new MigrationRunner({
    databaseUrl: config.databaseUrl.reveal(),
    migrationsDir,
    log: (line) => console.log(`migrate: ${line}`),
  });
  const flag = args.indexOf('--mark-rolled-back');
  if (flag >= 0) {
    const name = args[flag + 1];
    if (!name) throw new Error(`--mark-rolled-back needs a migration name\n${USAGE}`);
    await runner.markRolledBack(name);
    return;
  }
  if (args.length > 0) throw new Error(`unknown arguments: ${args.join(' ')}\n${USAGE}`);
  const result = await runner.deploy();
  const database = new URL(config.databaseUrl.reveal()).pathname.slice(1);
  console.log(
    `migrate: ${database}: ${result.applied.length} applied, ${result.alreadyApplied} already applied`,
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof MigrationError ? ` [${error.code}]` : '';
  console.error(`migrate: FAILED${code}: ${message}`);
  process.exitCode = 1;
});
