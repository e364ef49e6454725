import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { SandboxError } from '../common/sandbox-error';

/** PoS v10's error body: `{ code, message, correlationId }`. */
export function posError(status: number, code: string, message: string): SandboxError {
  return new SandboxError(status, code, message, { correlationId: randomUUID() });
}

/** PoS v10 answers 404 without an error code. */
export function posNotFound(what: string): SandboxError {
  return posError(404, '', `${what} not found`);
}

/**
 * Validates a request body; the first failing field picks the documented error code
 * (e.g. 1102 Invalid Amount), anything else is 1099 Unknown BadRequest.
 */
export function validatePos<T extends z.ZodType>(
  schema: T,
  body: unknown,
  codeByField: Record<string, string> = {},
): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = String(issue?.path[0] ?? '');
  throw posError(
    400,
    codeByField[field] ?? '1099',
    `Invalid ${field || 'request'}: ${issue?.message}`,
  );
}

/** 429 with `Retry-After` (set on the reply by `PosRetryAfterInterceptor`). */
export class PosThrottledError extends SandboxError {
  constructor(
    readonly retryAfterS: number,
    message = 'Too many requests: respect pollDelayInMs',
  ) {
    super(429, '', message, { correlationId: randomUUID() });
  }
}
