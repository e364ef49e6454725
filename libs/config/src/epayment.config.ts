import { z } from 'zod';
import { millis } from './env';
import { Secret } from './secret';

/** Unset and empty mean the same: nothing configured. */
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value ? value : undefined));

/**
 * The Vipps MobilePay ePayment API with CARD_PASSTHROUGH, merged into the application's
 * environment schema. Without `EPAYMENT_API_URL` the channel is off. Every setting marked
 * "assumption" covers something the public documentation leaves open; see the README.
 */
export const epaymentEnvShape = {
  /** https://api.vipps.no (production), https://apitest.vipps.no (test), or the sandbox. */
  EPAYMENT_API_URL: z.string().url().optional(),
  EPAYMENT_CLIENT_ID: optionalText,
  EPAYMENT_CLIENT_SECRET: optionalText,
  EPAYMENT_SUBSCRIPTION_KEY: optionalText,
  /** Issued by the PSP Partner Manager; sent as `Psp-Id` on every ePayment and webhook call. */
  EPAYMENT_PSP_ID: optionalText,
  EPAYMENT_SYSTEM_NAME: z.string().min(1).max(30).default('psp-gateway'),
  EPAYMENT_SYSTEM_VERSION: z.string().min(1).max(30).default('0.1.0'),
  EPAYMENT_TIMEOUT_MS: millis(5_000),
  EPAYMENT_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  EPAYMENT_RETRY_DELAY_MS: millis(1_000),
  EPAYMENT_TOKEN_REFRESH_MARGIN_MS: millis(5 * 60_000),
  /** Documented: 5 writes per minute per reference + MSN; over it, calls wait their turn. */
  EPAYMENT_WRITE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(5),
  /**
   * How long the card callback waits for the authorization before it answers. Vipps MobilePay
   * gives up after 20 s; what is left is for the network and the answer itself.
   */
  EPAYMENT_CALLBACK_BUDGET_MS: z.coerce.number().int().min(1_000).max(19_000).default(15_000),
  /**
   * Assumption (the budget ran out): `http-500` is the documented non-retryable answer ("HTTP 500
   * errors and timeouts are treated as non-retryable"); `fail` answers FAIL with
   * `EPAYMENT_TIMEOUT_ERROR_CODE` instead.
   */
  EPAYMENT_BUDGET_EXHAUSTED_ANSWER: z.enum(['http-500', 'fail']).default('http-500'),
  EPAYMENT_TIMEOUT_ERROR_CODE: z.coerce.number().int().min(1).default(500),
  /**
   * Assumption (callback sender check): `hmac` = the Webhooks API scheme keyed with the PSP client
   * secret (or `EPAYMENT_CALLBACK_SECRET`); `legacy-header` = the first-generation
   * `cardCallbackAuthHeader` value in `Authorization`; `off` = CIDR/certificate checks only.
   */
  EPAYMENT_CALLBACK_AUTH: z.enum(['hmac', 'legacy-header', 'off']).default('hmac'),
  EPAYMENT_CALLBACK_SECRET: optionalText,
  /** Assumption: accepted distance of the callback's `x-ms-date` from our clock (replays). */
  EPAYMENT_CALLBACK_MAX_SKEW_MS: millis(5 * 60_000),
  /** Sent as `cardPassthrough.cardCallbackAuthHeader` (first generation) when set. */
  EPAYMENT_CALLBACK_AUTH_HEADER: optionalText,
  /** The GUID Vipps MobilePay gave our registered public key (needed for standalone Dankort). */
  EPAYMENT_PUBLIC_ENCRYPTION_KEY_ID: z.string().uuid().optional(),
  /**
   * Assumption (encryptedPan format): `jwe` = compact JWE RSA-OAEP-256 + A256GCM whose plaintext
   * is JSON `{pan, expiryMonth, expiryYear}`; `rsa-oaep` = MobilePay Online's raw base64
   * RSA-OAEP-SHA256 of the same JSON. Decrypted with the `CARD_KEYS` entry `EPAYMENT_CARD_KEY_ID`.
   */
  EPAYMENT_PAN_FORMAT: z.enum(['jwe', 'rsa-oaep']).default('jwe'),
  EPAYMENT_CARD_KEY_ID: z.coerce.number().int().positive().optional(),
  /** `cardPassthrough.preferVisaPartOfVisaDankort` (co-badged cards): the Visa part, or Dankort. */
  EPAYMENT_PREFER_VISA_PART_OF_VISA_DANKORT: z.enum(['true', 'false']).default('false'),
  /** The Webhooks API registration's secret (shown once at registration), to verify events. */
  EPAYMENT_WEBHOOK_SECRET: optionalText,
  /** Polling backstop for missed webhooks: first look after, then every (guide: 5 s, 2 s). */
  EPAYMENT_POLL_FIRST_DELAY_MS: millis(5_000),
  EPAYMENT_POLL_INTERVAL_MS: millis(2_000),
};

type EpaymentEnv = z.infer<z.ZodObject<typeof epaymentEnvShape>>;

export function buildEpaymentConfig(env: EpaymentEnv) {
  if (!env.EPAYMENT_API_URL) return undefined;
  const clientSecret = new Secret(env.EPAYMENT_CLIENT_SECRET ?? '');
  return {
    apiUrl: env.EPAYMENT_API_URL.replace(/\/$/, ''),
    clientId: env.EPAYMENT_CLIENT_ID ?? '',
    clientSecret,
    subscriptionKey: new Secret(env.EPAYMENT_SUBSCRIPTION_KEY ?? ''),
    pspId: env.EPAYMENT_PSP_ID ?? '',
    system: { name: env.EPAYMENT_SYSTEM_NAME, version: env.EPAYMENT_SYSTEM_VERSION },
    timeoutMs: env.EPAYMENT_TIMEOUT_MS,
    retries: env.EPAYMENT_RETRIES,
    retryDelayMs: env.EPAYMENT_RETRY_DELAY_MS,
    tokenRefreshMarginMs: env.EPAYMENT_TOKEN_REFRESH_MARGIN_MS,
    writeLimitPerMinute: env.EPAYMENT_WRITE_LIMIT_PER_MINUTE,
    callback: {
      budgetMs: env.EPAYMENT_CALLBACK_BUDGET_MS,
      budgetExhaustedAnswer: env.EPAYMENT_BUDGET_EXHAUSTED_ANSWER,
      timeoutErrorCode: env.EPAYMENT_TIMEOUT_ERROR_CODE,
      auth: env.EPAYMENT_CALLBACK_AUTH,
      secret: env.EPAYMENT_CALLBACK_SECRET
        ? new Secret(env.EPAYMENT_CALLBACK_SECRET)
        : clientSecret,
      maxSkewMs: env.EPAYMENT_CALLBACK_MAX_SKEW_MS,
      legacyAuthHeader: env.EPAYMENT_CALLBACK_AUTH_HEADER
        ? new Secret(env.EPAYMENT_CALLBACK_AUTH_HEADER)
        : undefined,
    },
    publicEncryptionKeyId: env.EPAYMENT_PUBLIC_ENCRYPTION_KEY_ID,
    panFormat: env.EPAYMENT_PAN_FORMAT,
    cardKeyId: env.EPAYMENT_CARD_KEY_ID,
    preferVisaPartOfVisaDankort: env.EPAYMENT_PREFER_VISA_PART_OF_VISA_DANKORT === 'true',
    webhookSecret: env.EPAYMENT_WEBHOOK_SECRET
      ? new Secret(env.EPAYMENT_WEBHOOK_SECRET)
      : undefined,
    poll: {
      firstDelayMs: env.EPAYMENT_POLL_FIRST_DELAY_MS,
      intervalMs: env.EPAYMENT_POLL_INTERVAL_MS,
    },
  };
}

export type EpaymentConfig = NonNullable<ReturnType<typeof buildEpaymentConfig>>;

/** The ePayment simulator in apps/sandbox: credentials it accepts and the assumptions it plays. */
export const epaymentSandboxEnvShape = {
  SANDBOX_EPAYMENT_CLIENT_ID: z.string().min(1).default('sandbox-epayment-client'),
  SANDBOX_EPAYMENT_CLIENT_SECRET: z.string().min(1).default('sandbox-epayment-secret'),
  SANDBOX_EPAYMENT_SUBSCRIPTION_KEY: z.string().min(1).default('sandbox-epayment-subscription'),
  SANDBOX_EPAYMENT_PSP_ID: z.string().min(1).default('sandbox-psp'),
  /** Documented: 1 h in test, 24 h in production. */
  SANDBOX_EPAYMENT_TOKEN_TTL_S: z.coerce.number().int().min(1).default(3600),
  /** Documented: the PSP must answer the card callback within 20 s. */
  SANDBOX_EPAYMENT_CALLBACK_DEADLINE_MS: millis(20_000),
  SANDBOX_EPAYMENT_WRITE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(5),
  SANDBOX_EPAYMENT_READ_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  /** Assumption: how the callback is authenticated (HMAC keyed with the PSP client secret). */
  SANDBOX_EPAYMENT_CALLBACK_AUTH: z.enum(['hmac', 'off']).default('hmac'),
  /** Assumption: which FAIL errorCodes end the payment (the user cannot retry). */
  SANDBOX_EPAYMENT_NON_RETRYABLE_CODES: z
    .string()
    .default('303,304,500')
    .transform(
      (raw) =>
        new Set(
          raw
            .split(',')
            .map((c) => Number(c.trim()))
            .filter(Boolean),
        ),
    ),
  /** Default payment expiry (documented: 10 minutes). */
  SANDBOX_EPAYMENT_PAYMENT_TTL_MS: millis(10 * 60_000),
  /** Webhook delivery: the documented 10 s answer limit and the first retries' 2 s spacing. */
  SANDBOX_EPAYMENT_WEBHOOK_TIMEOUT_MS: millis(10_000),
  SANDBOX_EPAYMENT_WEBHOOK_RETRY_MS: millis(2_000),
};

type EpaymentSandboxEnv = z.infer<z.ZodObject<typeof epaymentSandboxEnvShape>>;

export function buildEpaymentSandboxConfig(env: EpaymentSandboxEnv) {
  return {
    clientId: env.SANDBOX_EPAYMENT_CLIENT_ID,
    clientSecret: env.SANDBOX_EPAYMENT_CLIENT_SECRET,
    subscriptionKey: env.SANDBOX_EPAYMENT_SUBSCRIPTION_KEY,
    pspId: env.SANDBOX_EPAYMENT_PSP_ID,
    tokenTtlS: env.SANDBOX_EPAYMENT_TOKEN_TTL_S,
    callbackDeadlineMs: env.SANDBOX_EPAYMENT_CALLBACK_DEADLINE_MS,
    writeLimitPerMinute: env.SANDBOX_EPAYMENT_WRITE_LIMIT_PER_MINUTE,
    readLimitPerMinute: env.SANDBOX_EPAYMENT_READ_LIMIT_PER_MINUTE,
    callbackAuth: env.SANDBOX_EPAYMENT_CALLBACK_AUTH,
    nonRetryableCodes: env.SANDBOX_EPAYMENT_NON_RETRYABLE_CODES,
    paymentTtlMs: env.SANDBOX_EPAYMENT_PAYMENT_TTL_MS,
    webhookTimeoutMs: env.SANDBOX_EPAYMENT_WEBHOOK_TIMEOUT_MS,
    webhookRetryMs: env.SANDBOX_EPAYMENT_WEBHOOK_RETRY_MS,
  };
}
