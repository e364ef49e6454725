import type { z } from 'zod';
import { badRequest } from './sandbox-error';

/** Parses a sandbox-only request body (the MobilePay API itself is checked against its OpenAPI). */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  throw badRequest(
    'invalid request body',
    result.error.issues.map((i) => ({ path: `/${i.path.join('/')}`, message: i.message })),
  );
}
