import { z } from 'zod';
import { millis, parseEnv } from './env';
import { buildEpaymentSandboxConfig, epaymentSandboxEnvShape } from './epayment.config';
import { buildPosSandboxConfig, posSandboxEnvShape } from './pos.config';

/** `id=secret,id=secret` — extra MobilePay API clients, so tests can act as "another PSP". */
const clientPairs = z.string().transform((raw, ctx) => {
  const clients = new Map<string, string>();
  for (const pair of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [id, ...secret] = pair.split('=');
    if (!id || secret.length === 0) {
      ctx.addIssue({ code: 'custom', message: `entry "${pair}" must be <clientId>=<secret>` });
      return z.NEVER;
    }
    clients.set(id.trim(), secret.join('=').trim());
  }
  return clients;
});

/** `id=path,id=path` — public keys (SPKI or private PEM) registered at boot. */
const publicKeyFiles = z.string().transform((raw, ctx) => {
  const keys = new Map<number, string>();
  for (const pair of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [id, ...path] = pair.split('=');
    const numericId = Number(id);
    if (!Number.isInteger(numericId) || numericId <= 0 || path.length === 0) {
      ctx.addIssue({ code: 'custom', message: `entry "${pair}" must be <publicKeyId>=<pem path>` });
      return z.NEVER;
    }
    keys.set(numericId, path.join('=').trim());
  }
  return keys;
});

const hostList = z.string().transform((raw) =>
  raw
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean),
);

const schema = z
  .object({
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    // 0 asks the OS for a free port (tests).
    SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    SANDBOX_HOST: z.string().min(1).default('127.0.0.1'),
    // The Nets-style ISO 8583 acquirer simulator (TCP, on SANDBOX_HOST); 0 = a free port.
    // Unset: 4100, or a free port too when SANDBOX_PORT is 0, so parallel test sandboxes never clash.
    SANDBOX_ISO8583_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    SANDBOX_PUBLIC_URL: z.string().url().optional(),
    SANDBOX_CLIENT_ID: z.string().min(1).default('sandbox-client-id'),
    SANDBOX_CLIENT_SECRET: z.string().min(1).default('sandbox-client-secret'),
    SANDBOX_EXTRA_CLIENTS: clientPairs.default(
      new Map([['sandbox-other-client-id', 'sandbox-other-client-secret']]),
    ),
    SANDBOX_CALLBACK_RETRY_WINDOW_MS: millis(15_000),
    SANDBOX_CALLBACK_RETRY_INTERVAL_MS: millis(1_000),
    SANDBOX_CALLBACK_TIMEOUT_MS: millis(10_000),
    SANDBOX_PATCH_DEADLINE_MS: millis(32_000),
    SANDBOX_THREE_DS_WINDOW_MS: millis(15 * 60_000),
    SANDBOX_PAYMENT_TTL_MS: millis(35 * 60_000),
    SANDBOX_MAX_INITIATIONS_PER_ORDER: z.coerce.number().int().min(1).default(3),
    SANDBOX_HTTP_CALLBACK_HOSTS: hostList.default(['localhost', '127.0.0.1', '::1', '[::1]']),
    SANDBOX_PUBLIC_KEYS: publicKeyFiles.optional(),
    // Clearhaus simulator: partners' signing API keys with their verification (public) key files,
    // and merchant accounts by API key (`<api key>=<merchant id>`), next to the built-in test ones.
    SANDBOX_CLEARHAUS_SIGNING_KEYS: clientPairs.optional(),
    SANDBOX_CLEARHAUS_ACCOUNTS: clientPairs.optional(),
    SANDBOX_SPEC_DIR: z.string().min(1).optional(),
    SANDBOX_BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024),
    ...posSandboxEnvShape,
    ...epaymentSandboxEnvShape,
  })
  .transform((env) => ({
    logLevel: env.LOG_LEVEL,
    port: env.SANDBOX_PORT,
    host: env.SANDBOX_HOST,
    iso8583: { port: env.SANDBOX_ISO8583_PORT ?? (env.SANDBOX_PORT === 0 ? 0 : 4100) },
    publicUrl: env.SANDBOX_PUBLIC_URL?.replace(/\/$/, ''),
    clients: new Map([
      [env.SANDBOX_CLIENT_ID, env.SANDBOX_CLIENT_SECRET],
      ...env.SANDBOX_EXTRA_CLIENTS,
    ]),
    callbacks: {
      retryWindowMs: env.SANDBOX_CALLBACK_RETRY_WINDOW_MS,
      retryIntervalMs: env.SANDBOX_CALLBACK_RETRY_INTERVAL_MS,
      timeoutMs: env.SANDBOX_CALLBACK_TIMEOUT_MS,
      httpHosts: env.SANDBOX_HTTP_CALLBACK_HOSTS,
    },
    payments: {
      patchDeadlineMs: env.SANDBOX_PATCH_DEADLINE_MS,
      threeDsWindowMs: env.SANDBOX_THREE_DS_WINDOW_MS,
      ttlMs: env.SANDBOX_PAYMENT_TTL_MS,
      maxInitiationsPerOrder: env.SANDBOX_MAX_INITIATIONS_PER_ORDER,
    },
    publicKeyFiles: env.SANDBOX_PUBLIC_KEYS ?? new Map<number, string>(),
    specDir: env.SANDBOX_SPEC_DIR,
    bodyLimitBytes: env.SANDBOX_BODY_LIMIT_BYTES,
    pos: buildPosSandboxConfig(env),
    epayment: buildEpaymentSandboxConfig(env),
    clearhaus: {
      signingKeyFiles: env.SANDBOX_CLEARHAUS_SIGNING_KEYS ?? new Map<string, string>(),
      accounts: env.SANDBOX_CLEARHAUS_ACCOUNTS ?? new Map<string, string>(),
    },
  }));

export type SandboxConfig = z.infer<typeof schema>;

export function loadSandboxConfig(source: NodeJS.ProcessEnv = process.env): SandboxConfig {
  return parseEnv(schema, source);
}
