import { z } from 'zod';

/** Thrown at boot when the environment is incomplete or malformed; the message lists every problem. */
export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses `source` (normally process.env) with `schema`, failing fast with a readable message.
 * The only place in the code base that reads the process environment.
 */
export function parseEnv<T extends z.ZodType>(
  schema: T,
  source: NodeJS.ProcessEnv = process.env,
): z.infer<T> {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}

export const port = (fallback: number) =>
  z.coerce.number().int().min(1).max(65535).default(fallback);
export const millis = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
export const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');
