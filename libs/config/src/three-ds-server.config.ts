import { z } from 'zod';
import { millis } from './env';
import { Secret } from './secret';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value ? value : undefined));

/**
 * The 3-D Secure Server (3dsecure.io) the challenge page authenticates through, merged into the
 * application's environment schema. Configured by its API key; without one the 3-D Secure
 * fallback cannot authenticate: the challenge page fails the attempt (PATCH 1000).
 */
export const threeDsServerEnvShape = {
  /** Default: the production service in production, the 3dsecure.io sandbox elsewhere. */
  THREE_DS_SERVER_URL: z.string().url().optional(),
  /** The 3dsecure.io API key (`APIKey` header). */
  THREE_DS_SERVER_API_KEY: optionalText,
  /** /auth waits up to 10 s for the Directory Server; a little more before we give up. */
  THREE_DS_SERVER_TIMEOUT_MS: millis(12_000),
  /** The acquirer's BIN for the AReq (`acquirerBIN`), as the acquirer assigned it for 3-D Secure. */
  THREE_DS_ACQUIRER_BIN: z
    .string()
    .regex(/^[0-9A-Za-z]{1,11}$/)
    .optional(),
  /** `threeDSRequestorURL`; default PUBLIC_BASE_URL. */
  THREE_DS_REQUESTOR_URL: z.string().url().optional(),
};

type ThreeDsServerEnv = z.infer<z.ZodObject<typeof threeDsServerEnvShape>>;

export interface ThreeDsServerConfig {
  url: string;
  apiKey: Secret;
  timeoutMs: number;
  acquirerBin: string;
  requestorUrl: string;
}

export function buildThreeDsServerConfig(
  env: ThreeDsServerEnv & { NODE_ENV: string; PUBLIC_BASE_URL: string },
): { config?: ThreeDsServerConfig; problems: { path: string; message: string }[] } {
  if (!env.THREE_DS_SERVER_API_KEY) return { problems: [] };
  if (!env.THREE_DS_ACQUIRER_BIN) {
    return {
      problems: [
        { path: 'THREE_DS_ACQUIRER_BIN', message: 'required with THREE_DS_SERVER_API_KEY' },
      ],
    };
  }
  return {
    problems: [],
    config: {
      url: (
        env.THREE_DS_SERVER_URL ??
        (env.NODE_ENV === 'production'
          ? 'https://service.3dsecure.io'
          : 'https://service.sandbox.3dsecure.io')
      ).replace(/\/$/, ''),
      apiKey: new Secret(env.THREE_DS_SERVER_API_KEY),
      timeoutMs: env.THREE_DS_SERVER_TIMEOUT_MS,
      acquirerBin: env.THREE_DS_ACQUIRER_BIN,
      requestorUrl: (env.THREE_DS_REQUESTOR_URL ?? env.PUBLIC_BASE_URL).replace(/\/$/, ''),
    },
  };
}
