import type { z } from 'zod';
import { DomainError, ErrorCode } from '@app/domain';
import { storableInput } from './storable-text';

/** Validates a body against a schema; the error lists paths and rules, never the submitted values. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  return parseWith(schema, body, 'request body is invalid');
}

/** Query strings: the same rules; a repeated parameter (an array) fails the schema. */
export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  return parseWith(schema, query ?? {}, 'query parameters are invalid');
}

/** Every input passes the shared storable-text rule first, then the route's own schema. */
function parseWith<T extends z.ZodType>(schema: T, input: unknown, message: string): z.infer<T> {
  const result = storableInput.pipe(schema).safeParse(input);
  if (result.success) return result.data;
  throw new DomainError(ErrorCode.ValidationFailed, message, {
    issues: result.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      rule: ruleOf(issue),
    })),
  });
}

function ruleOf(issue: z.core.$ZodIssue): string {
  const rule =
    issue.code === 'custom' ? (issue.params as { rule?: unknown } | undefined)?.rule : undefined;
  return typeof rule === 'string' ? rule : issue.code;
}
