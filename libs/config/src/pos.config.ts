import { z } from 'zod';
import { flag, millis } from './env';
import { Secret } from './secret';

/** Unset and empty mean the same: nothing configured. */
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value ? value : undefined));

/**
 * MobilePay PoS v10 (the in-store channel), merged into the application's environment schema.
 * Without `POS_CLIENT_ID`/`POS_CLIENT_SECRET` the channel is off and its endpoints say so.
 */
export const posEnvShape = {
  /** Base URL of the PoS API (paths start with /pos/v10); default: `MOBILEPAY_API_URL`. */
  POS_API_URL: z.string().url().optional(),
  /** Integrator Authentication base URL (token at /connect/token); default: `<POS_API_URL>/integrator-authentication`. */
  POS_AUTH_URL: z.string().url().optional(),
  /** OAuth2 client credentials from the onboarding zip. */
  POS_CLIENT_ID: optionalText,
  POS_CLIENT_SECRET: optionalText,
  /** The developer-portal app id sent as `x-ibm-client-id`; default: `POS_CLIENT_ID`. */
  POS_IBM_CLIENT_ID: optionalText,
  /** `X-MobilePay-Client-System-Version`: our certified Major.Minor.Build. */
  POS_CLIENT_SYSTEM_VERSION: z
    .string()
    .regex(/^\d{1,4}\.\d{1,4}\.\d{1,6}$/, 'must be Major.Minor.Build')
    .default('1.0.0'),
  /** Ask for tokens locked to one merchant (`merchant_vat` claim) instead of a VAT header per call. */
  POS_MERCHANT_LOCKED_TOKENS: flag(false),
  /** Guide: POST/DELETE 2 s, GET (polling or not) 0.5 s. */
  POS_WRITE_TIMEOUT_MS: millis(2_000),
  POS_READ_TIMEOUT_MS: millis(500),
  /** Guide: 2 retries suggested, 5 at most. */
  POS_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  /** First back-off step (doubled per retry, with jitter). */
  POS_RETRY_DELAY_MS: millis(200),
  /** Longest `Retry-After` waited inside one call; longer ones are left to the caller. */
  POS_MAX_RETRY_AFTER_MS: millis(5_000),
  /** Refresh an access token this long before it expires. */
  POS_TOKEN_REFRESH_MARGIN_MS: millis(60_000),
  /** Polling never runs faster than once a second, whatever `pollDelayInMs` says. */
  POS_MIN_POLL_DELAY_MS: z.coerce.number().int().min(1_000).default(1_000),
  /** Ceiling of the back-off when polls fail (no answer, 5xx). */
  POS_MAX_POLL_BACKOFF_MS: millis(30_000),
  /** A payment whose initiation never got an answer is cleaned up (found by order id, cancelled) after this. */
  POS_ORPHAN_AFTER_MS: millis(60_000),
  /**
   * Reservations run out at MobilePay (payments: at \`paymentExpiresAt\`, 7 days; refunds: 24 hours,
   * then captured by MobilePay). A reservation left alone is looked at once more this long after
   * it should have run out, so its final state (ExpiredAndCancelled / ExpiredAndCaptured) is seen.
   */
  POS_RESERVATION_CHECK_MARGIN_MS: millis(60_000),
  POS_REFUND_RESERVATION_MS: millis(24 * 60 * 60_000),
};

type PosEnv = z.infer<z.ZodObject<typeof posEnvShape>>;

export function buildPosConfig(env: PosEnv & { MOBILEPAY_API_URL: string }) {
  const apiUrl = (env.POS_API_URL ?? env.MOBILEPAY_API_URL).replace(/\/$/, '');
  const credentials =
    env.POS_CLIENT_ID && env.POS_CLIENT_SECRET
      ? {
          clientId: env.POS_CLIENT_ID,
          clientSecret: new Secret(env.POS_CLIENT_SECRET),
          ibmClientId: env.POS_IBM_CLIENT_ID ?? env.POS_CLIENT_ID,
        }
      : undefined;
  return {
    apiUrl,
    authUrl: (env.POS_AUTH_URL ?? `${apiUrl}/integrator-authentication`).replace(/\/$/, ''),
    credentials,
    clientSystemVersion: env.POS_CLIENT_SYSTEM_VERSION,
    merchantLockedTokens: env.POS_MERCHANT_LOCKED_TOKENS,
    writeTimeoutMs: env.POS_WRITE_TIMEOUT_MS,
    readTimeoutMs: env.POS_READ_TIMEOUT_MS,
    retries: env.POS_RETRIES,
    retryDelayMs: env.POS_RETRY_DELAY_MS,
    maxRetryAfterMs: env.POS_MAX_RETRY_AFTER_MS,
    tokenRefreshMarginMs: env.POS_TOKEN_REFRESH_MARGIN_MS,
    minPollDelayMs: env.POS_MIN_POLL_DELAY_MS,
    maxPollBackoffMs: env.POS_MAX_POLL_BACKOFF_MS,
    orphanAfterMs: env.POS_ORPHAN_AFTER_MS,
    reservationCheckMarginMs: env.POS_RESERVATION_CHECK_MARGIN_MS,
    refundReservationMs: env.POS_REFUND_RESERVATION_MS,
  };
}

export type PosConfig = ReturnType<typeof buildPosConfig>;

/** `id=secret,id=secret` pairs (the simulator's OAuth clients). */
const credentialPairs = z.string().transform((raw, ctx) => {
  const pairs = new Map<string, string>();
  for (const pair of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [id, ...secret] = pair.split('=');
    if (!id || secret.length === 0) {
      ctx.addIssue({ code: 'custom', message: `entry "${pair}" must be <clientId>=<secret>` });
      return z.NEVER;
    }
    pairs.set(id.trim(), secret.join('=').trim());
  }
  return pairs;
});

/** The PoS v10 simulator's knobs, merged into the sandbox's environment schema. */
export const posSandboxEnvShape = {
  /** OAuth2 clients of the Integrator Authentication API. */
  SANDBOX_POS_CLIENTS: credentialPairs.default(
    new Map([['sandbox-pos-client-id', 'sandbox-pos-client-secret']]),
  ),
  SANDBOX_POS_TOKEN_TTL_S: z.coerce.number().int().min(1).default(3700),
  /** `pollDelayInMs` the simulator answers with (MobilePay: 1000). */
  SANDBOX_POS_POLL_DELAY_MS: z.coerce.number().int().min(0).default(1_000),
  /** A poll that arrives sooner than `pollDelayInMs` (minus this slack) gets 429; "off" disables. */
  SANDBOX_POS_THROTTLE: flag(true),
  SANDBOX_POS_THROTTLE_SLACK_MS: millis(50),
  /** The notification service: `callbackAlias=url,…` — check-ins at such points of sale are POSTed there. */
  SANDBOX_POS_CALLBACK_ALIASES: credentialPairs.default(new Map()),
  /** How long a new refund stays Initiated before it is Reserved. */
  SANDBOX_POS_REFUND_RESERVE_MS: millis(500),
  /** A payment older than this cannot be refunded any more (1366, "Payment is too old"). */
  SANDBOX_POS_REFUND_MAX_AGE_MS: millis(90 * 24 * 60 * 60_000),
  /** A reserved payment not captured or cancelled by then becomes ExpiredAndCancelled (7 days). */
  SANDBOX_POS_RESERVATION_MS: millis(7 * 24 * 60 * 60_000),
  /** A reserved refund not captured or cancelled by then is captured by MobilePay (24 hours). */
  SANDBOX_POS_REFUND_RESERVATION_MS: millis(24 * 60 * 60_000),
};

type PosSandboxEnv = z.infer<z.ZodObject<typeof posSandboxEnvShape>>;

export function buildPosSandboxConfig(env: PosSandboxEnv) {
  return {
    clients: env.SANDBOX_POS_CLIENTS,
    tokenTtlS: env.SANDBOX_POS_TOKEN_TTL_S,
    pollDelayMs: env.SANDBOX_POS_POLL_DELAY_MS,
    throttle: env.SANDBOX_POS_THROTTLE,
    throttleSlackMs: env.SANDBOX_POS_THROTTLE_SLACK_MS,
    refundReserveMs: env.SANDBOX_POS_REFUND_RESERVE_MS,
    refundMaxAgeMs: env.SANDBOX_POS_REFUND_MAX_AGE_MS,
    callbackAliases: env.SANDBOX_POS_CALLBACK_ALIASES,
    reservationMs: env.SANDBOX_POS_RESERVATION_MS,
    refundReservationMs: env.SANDBOX_POS_REFUND_RESERVATION_MS,
  };
}

export type PosSandboxConfig = ReturnType<typeof buildPosSandboxConfig>;
