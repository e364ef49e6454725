import type { z } from 'zod';
import { DomainError, ErrorCode } from '@app/domain';

/** Validates a body against a schema; the error lists paths and rules, never the submitted values. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new DomainError(ErrorCode.ValidationFailed, 'request body is invalid', {
    issues: result.error.issues.map((issue) => ({ path: issue.path.join('.'), rule: issue.code })),
  });
}

/** Query strings: the same rules; a repeated parameter (an array) fails the schema. */
export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  const result = schema.safeParse(query ?? {});
  if (result.success) return result.data;
  throw new DomainError(ErrorCode.ValidationFailed, 'query parameters are invalid', {
    issues: result.error.issues.map((issue) => ({ path: issue.path.join('.'), rule: issue.code })),
  });
}
