import { defineConfig } from 'prisma/config';

// DATABASE_URL is optional here so that `prisma generate` works at install time without a database.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/psp_gateway',
  },
});
