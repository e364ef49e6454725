import { z } from 'zod';
import { millis } from './env';
import { Secret } from './secret';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value ? value : undefined));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Clearhaus Transaction API (acquirer `clearhaus`), merged into the application's environment
 * schema. The adapter exists only when the API key and the partner's signing key are set.
 */
export const clearhausEnvShape = {
  /** Default: the live endpoint in production, the test endpoint elsewhere. */
  CLEARHAUS_URL: z.string().url().optional(),
  /** The merchant account's API key (HTTP Basic user name). */
  CLEARHAUS_API_KEY: optionalText,
  /** The partner's signing API key (Signature header) and its RSA private key (PEM file). */
  CLEARHAUS_SIGNING_API_KEY: optionalText,
  CLEARHAUS_SIGNING_KEY_FILE: optionalText,
  CLEARHAUS_TIMEOUT_MS: millis(10_000),
  /** How long an unanswered authorization is still awaited, so that a late approval is voided. */
  CLEARHAUS_LATE_ANSWER_MS: millis(60_000),
};

type ClearhausEnv = z.infer<z.ZodObject<typeof clearhausEnvShape>>;

export interface ClearhausConfig {
  url: string;
  apiKey: Secret;
  signingApiKey: string;
  signingKeyFile: string;
  timeoutMs: number;
  lateAnswerMs: number;
}

/** The Clearhaus settings, undefined when not configured, or the problems found. */
export function buildClearhausConfig(
  env: ClearhausEnv & { NODE_ENV: string; ACQUIRER_ROUTES: string },
): { config?: ClearhausConfig; problems: { path: string; message: string }[] } {
  const problems: { path: string; message: string }[] = [];
  const wanted = /=\s*clearhaus\s*(,|$)/.test(env.ACQUIRER_ROUTES);
  const parts = [
    env.CLEARHAUS_API_KEY,
    env.CLEARHAUS_SIGNING_API_KEY,
    env.CLEARHAUS_SIGNING_KEY_FILE,
  ];
  if (parts.every((part) => part === undefined)) {
    if (wanted)
      problems.push({
        path: 'CLEARHAUS_API_KEY',
        message: 'required when ACQUIRER_ROUTES routes to clearhaus',
      });
    return { problems };
  }
  for (const [name, value] of [
    ['CLEARHAUS_API_KEY', env.CLEARHAUS_API_KEY],
    ['CLEARHAUS_SIGNING_API_KEY', env.CLEARHAUS_SIGNING_API_KEY],
    ['CLEARHAUS_SIGNING_KEY_FILE', env.CLEARHAUS_SIGNING_KEY_FILE],
  ] as const) {
    if (value === undefined)
      problems.push({ path: name, message: 'required with the other CLEARHAUS_* keys' });
  }
  if (env.CLEARHAUS_SIGNING_API_KEY && !UUID.test(env.CLEARHAUS_SIGNING_API_KEY)) {
    problems.push({ path: 'CLEARHAUS_SIGNING_API_KEY', message: 'must be a UUID' });
  }
  if (problems.length > 0) return { problems };
  return {
    problems,
    config: {
      url: (
        env.CLEARHAUS_URL ??
        (env.NODE_ENV === 'production'
          ? 'https://gateway.clearhaus.com'
          : 'https://gateway.test.clearhaus.com')
      ).replace(/\/$/, ''),
      apiKey: new Secret(env.CLEARHAUS_API_KEY!),
      signingApiKey: env.CLEARHAUS_SIGNING_API_KEY!,
      signingKeyFile: env.CLEARHAUS_SIGNING_KEY_FILE!,
      timeoutMs: env.CLEARHAUS_TIMEOUT_MS,
      lateAnswerMs: env.CLEARHAUS_LATE_ANSWER_MS,
    },
  };
}
