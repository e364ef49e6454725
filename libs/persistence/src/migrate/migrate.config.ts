import { parseEnv, Secret } from '@app/config';
import { z } from 'zod';

const schema = z
  .object({
    DATABASE_URL: z.string().url(),
    /** Defaults to the repository's `prisma/migrations`, found upwards from the compiled CLI. */
    MIGRATIONS_DIR: z.string().min(1).optional(),
  })
  .transform((env) => ({
    databaseUrl: new Secret(env.DATABASE_URL),
    migrationsDir: env.MIGRATIONS_DIR,
  }));

export type MigrateConfig = z.infer<typeof schema>;

/** The little the migrate CLI needs; it must not require the whole application configuration. */
export function loadMigrateConfig(): MigrateConfig {
  return parseEnv(schema);
}
