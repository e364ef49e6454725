import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** One `prisma/migrations/<timestamp>_<name>/migration.sql`, as Prisma Migrate lays it out. */
export interface MigrationFile {
  /** Directory name, e.g. `20250101120000_init`; also the `migration_name` in `_prisma_migrations`. */
  name: string;
  path: string;
  script: string;
  /** sha256 of the file content, lowercase hex: what Prisma stores in `_prisma_migrations.checksum`. */
  checksum: string;
}

export const MIGRATION_SCRIPT = 'migration.sql';
export const MIGRATION_LOCKFILE = 'migration_lock.toml';

export function checksumOf(script: string | Buffer): string {
  return createHash('sha256').update(script).digest('hex');
}

/**
 * Prisma also accepts a checksum taken before git rewrote line endings (core.autocrlf), so a
 * checkout on another OS is not mistaken for an edited migration.
 */
export function matchesChecksum(file: MigrationFile, checksum: string): boolean {
  return (
    file.checksum === checksum ||
    checksumOf(file.script.replace(/\r\n/g, '\n')) === checksum ||
    checksumOf(file.script.replace(/\n/g, '\r\n')) === checksum
  );
}

/** Migration directories sorted by name (timestamp first), like Prisma. */
export function readMigrationFiles(migrationsDir: string): MigrationFile[] {
  if (!existsSync(migrationsDir)) return [];
  return readdirSync(migrationsDir)
    .filter((entry) => statSync(join(migrationsDir, entry)).isDirectory())
    .sort()
    .map((name) => {
      const path = join(migrationsDir, name, MIGRATION_SCRIPT);
      if (!existsSync(path)) {
        throw new Error(`migration directory ${name} has no ${MIGRATION_SCRIPT}`);
      }
      const content = readFileSync(path);
      return { name, path, script: content.toString('utf8'), checksum: checksumOf(content) };
    });
}

/**
 * The repository's `prisma/migrations`, found from `fromDir` upwards so that the same code works from
 * `libs/…` (ts-jest) and from `dist/libs/…` (compiled CLI).
 */
export function findMigrationsDir(fromDir: string = __dirname): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'prisma', 'migrations');
    if (existsSync(join(dir, 'prisma', 'schema.prisma')) || existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) {
      throw new Error(`no prisma/migrations directory above ${fromDir}`);
    }
  }
}
