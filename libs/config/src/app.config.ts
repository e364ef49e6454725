import { z } from 'zod';
import { flag, millis, parseEnv, port } from './env';
import { buildClearhausConfig, clearhausEnvShape } from './clearhaus.config';
import { buildThreeDsServerConfig, threeDsServerEnvShape } from './three-ds-server.config';
import { buildEpaymentConfig, epaymentEnvShape } from './epayment.config';
import { buildPosConfig, posEnvShape } from './pos.config';
import { Secret } from './secret';

const url = z.string().url();

/** MobilePay's payment lifetimes: fixed on the current platform, the default of `validUntil` before. */
const PLATFORM_PAYMENT_TTL_MS = 10 * 60_000;
const LEGACY_PAYMENT_TTL_MS = 35 * 60_000;

/** `CARD_KEYS`: publicKeyId → PEM path, as JSON (`{"263012":"/keys/a.pem"}`) or `263012=/keys/a.pem,…`. */
const cardKeys = z
  .string()
  .min(1)
  .transform((raw, ctx) => {
    let entries: [string, unknown][];
    if (raw.trim().startsWith('{')) {
      try {
        entries = Object.entries(JSON.parse(raw) as Record<string, unknown>);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
        return z.NEVER;
      }
    } else {
      entries = raw.split(',').map((pair) => {
        const [id, ...path] = pair.split('=');
        return [id.trim(), path.join('=').trim()];
      });
    }
    const keys = new Map<number, string>();
    for (const [id, path] of entries) {
      const numericId = Number(id);
      if (!Number.isInteger(numericId) || numericId <= 0 || typeof path !== 'string' || !path) {
        ctx.addIssue({ code: 'custom', message: `entry "${id}" must be <publicKeyId>=<pem path>` });
        return z.NEVER;
      }
      keys.set(numericId, path);
    }
    if (keys.size === 0) {
      ctx.addIssue({ code: 'custom', message: 'at least one key is required' });
      return z.NEVER;
    }
    return keys;
  });

/** The items of a comma-separated list, e.g. `212.93.32.0/19,185.218.228.0/22`. */
const splitList = (raw: string): string[] =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const listOf = (fallback: string) => z.string().default(fallback).transform(splitList);
const list = listOf('');
/** Unset and empty mean the same: nothing configured. */
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value ? value : undefined));

const sealKey = z.string().transform((raw, ctx) => {
  const key = Buffer.from(raw, 'base64');
  if (key.length !== 32) {
    ctx.addIssue({ code: 'custom', message: 'must be 32 random bytes, base64-encoded' });
    return z.NEVER;
  }
  return new Secret(key);
});

/** `,`-separated base64 keys: previous seal keys, still opened during a rotation. */
const previousSealKeys = z.string().transform((raw, ctx) => {
  const keys = splitList(raw).map((part) => Buffer.from(part, 'base64'));
  if (keys.some((key) => key.length !== 32)) {
    ctx.addIssue({ code: 'custom', message: 'each key must be 32 random bytes, base64-encoded' });
    return z.NEVER;
  }
  return new Secret(keys);
});

/** `host:port,host:port` (Redis Sentinels or Cluster seed nodes). */
const hostPorts = z.string().transform((raw, ctx) => {
  // Unset and empty mean the same: nothing configured.
  if (raw.trim() === '') return undefined;
  const nodes = splitList(raw).map((part) => {
    const match = /^(.+):(\d{1,5})$/.exec(part);
    return match ? { host: match[1].replace(/^\[(.*)\]$/, '$1'), port: Number(match[2]) } : null;
  });
  if (nodes.length === 0 || nodes.some((node) => node === null || node.port > 65535)) {
    ctx.addIssue({ code: 'custom', message: 'must be host:port[,host:port…]' });
    return z.NEVER;
  }
  return nodes as { host: string; port: number }[];
});

export type RedisTopology =
  | { mode: 'standalone' }
  | {
      mode: 'sentinel';
      sentinels: { host: string; port: number }[];
      masterName: string;
      sentinelPassword?: Secret<string>;
    }
  | { mode: 'cluster'; nodes: { host: string; port: number }[] };

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    SERVICE_NAME: z.string().default('psp-gateway'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).default(10),
    /** Idle connections are closed after this long (0: never). */
    DATABASE_POOL_IDLE_MS: z.coerce.number().int().min(0).default(300_000),
    REDIS_URL: url,
    QUEUE_PREFIX: z.string().min(1).default('{psp}'),
    /**
     * standalone: REDIS_URL is the server. sentinel: REDIS_SENTINELS find the master
     * REDIS_SENTINEL_MASTER; cluster: REDIS_CLUSTER_NODES are the seed nodes. REDIS_URL still gives
     * user, password, TLS (rediss:) and database for the data connections.
     */
    REDIS_MODE: z.enum(['standalone', 'sentinel', 'cluster']).default('standalone'),
    REDIS_SENTINELS: hostPorts.optional(),
    REDIS_SENTINEL_MASTER: z.string().min(1).optional(),
    REDIS_SENTINEL_PASSWORD: z
      .string()
      .min(1)
      .transform((v) => new Secret(v))
      .optional(),
    REDIS_CLUSTER_NODES: hostPorts.optional(),
    MOBILEPAY_API_URL: url,
    MOBILEPAY_CLIENT_ID: z.string().min(1),
    MOBILEPAY_CLIENT_SECRET: z
      .string()
      .min(1)
      .transform((v) => new Secret(v)),
    MOBILEPAY_TIMEOUT_MS: millis(2000),
    MOBILEPAY_RETRY_DELAY_MS: millis(1000),
    MOBILEPAY_RETRIES: z.coerce.number().int().min(0).max(6).default(2),
    /** A report whose retry budget ran out is delivered again after this, doubling up to the max. */
    MOBILEPAY_REDELIVERY_DELAY_MS: millis(5_000),
    MOBILEPAY_REDELIVERY_MAX_DELAY_MS: millis(5 * 60_000),
    PUBLIC_BASE_URL: url,
    CARD_KEYS: cardKeys,
    CARD_ACTIVE_KEY_ID: z.coerce.number().int().positive().optional(),
    CARD_DATA_SEAL_KEY: sealKey,
    /** Keys sealed with before a rotation: still opened, never used to seal. */
    CARD_DATA_SEAL_PREVIOUS_KEYS: previousSealKeys.optional(),
    CARD_TIMESTAMP_WINDOW_MS: millis(10 * 60_000),
    GATEWAY_PORT: port(3000),
    GATEWAY_HOST: z.string().default('0.0.0.0'),
    CALLBACK_BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(64 * 1024),
    GATEWAY_TRUSTED_PROXIES: list,
    GATEWAY_TLS_CERT_FILE: optionalText,
    GATEWAY_TLS_KEY_FILE: optionalText,
    GATEWAY_TLS_CLIENT_CA_FILE: optionalText,
    CALLBACK_ALLOWED_CIDRS: list,
    CALLBACK_CLIENT_CERT_CN: optionalText,
    CALLBACK_CLIENT_CERT_CN_HEADER: optionalText.transform((v) => v?.toLowerCase()),
    /** Production only starts with a sender check, unless this says, knowingly, to run without. */
    CALLBACK_SENDER_CHECK_DISABLED: flag(false),
    TOKEN_ACCEPTED_COUNTRIES: listOf('DK,FI'),
    TOKEN_METHODS: listOf('VTS,MC S4C'),
    WORKER_HEALTH_PORT: port(3001),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).default(16),
    JANITOR_INTERVAL_MS: millis(5_000),
    JANITOR_GRACE_MS: millis(5_000),
    SANDBOX_PORT: port(4000),
    ACQUIRER_URL: url,
    ACQUIRER_TIMEOUT_MS: millis(10_000),
    /** How long after giving up on a request it may still land at the acquirer (reversal re-checks). */
    ACQUIRER_LATE_ARRIVAL_WINDOW_MS: millis(60_000),
    ACQUIRER_VAT_NUMBER: z.string().min(4).default('DK12345678'),
    ACQUIRER_ROUTES: z.string().min(3).default('DANKORT=nets-iso8583,*=rest-acquirer'),
    ACQUIRER_ISO8583_HOST: z.string().min(1).default('127.0.0.1'),
    ACQUIRER_ISO8583_PORT: port(4100),
    ACQUIRER_ISO8583_TIMEOUT_MS: millis(10_000),
    ACQUIRER_ISO8583_VAT_NUMBER: z.string().min(4).default('DK20016175'),
    ACQUIRER_ISO8583_TERMINAL_ID: z.string().min(1).max(8).default('MPONLINE'),
    THREE_DS_WINDOW_MS: millis(15 * 60_000),
    /** Unset: MobilePay's production page against its production API, else the sandbox page. */
    THREE_DS_DONE_URL: z.string().url().optional(),
    PATCH_DEADLINE_MS: millis(32_000),
    /**
     * Whether create payment sends `validUntil`. The platform MobilePay Online runs on since 2024
     * ("One Platform") no longer accepts a payment validity and fixes it at 10 minutes; the older
     * platform took `validUntil` and defaulted to 35 minutes.
     */
    MOBILEPAY_SEND_VALID_UNTIL: flag(false),
    /** The payment lifetime we assume (and send as validUntil where it is sent). */
    PAYMENT_TTL_MS: z.coerce.number().int().min(1).optional(),
    PAYMENT_MAX_INITIATIONS_PER_ORDER: z.coerce.number().int().min(1).default(3),
    ADMIN_API_KEY: z.string().min(24).optional(),
    MERCHANT_LOGO_CHECK: z.enum(['strict', 'off']).default('strict'),
    WEBHOOK_TIMEOUT_MS: millis(10_000),
    WEBHOOK_RETRY_BASE_MS: millis(30_000),
    WEBHOOK_RETRY_MAX_DELAY_MS: millis(60 * 60_000),
    WEBHOOK_RETRY_WINDOW_MS: millis(3 * 24 * 60 * 60_000),
    WEBHOOK_DISPATCH_INTERVAL_MS: millis(1_000),
    /**
     * Requests made on a merchant's word (logo fetches, webhooks) only to hosts whose every address
     * is public (IANA special-purpose and non-unicast space refused), checked at input and pinned
     * at connect time. Default: on in production.
     */
    OUTBOUND_PUBLIC_ADDRESSES_ONLY: z.enum(['true', 'false', '1', '0']).optional(),
    OTEL_ENABLED: flag(false),
    OTEL_EXPORTER_OTLP_ENDPOINT: url.optional(),
    METRICS_ENABLED: flag(true),
    METRICS_OTLP_ENABLED: flag(false),
    METRICS_OTLP_INTERVAL_MS: z.coerce.number().int().min(1000).default(15_000),
    METRICS_POLL_INTERVAL_MS: z.coerce.number().int().min(100).default(15_000),
    SHUTDOWN_DRAIN_MS: millis(5_000),
    ...posEnvShape,
    ...clearhausEnvShape,
    ...threeDsServerEnvShape,
    ...epaymentEnvShape,
  })
  .transform((env, ctx) => {
    if (env.GATEWAY_TLS_CERT_FILE && !env.GATEWAY_TLS_KEY_FILE) {
      ctx.addIssue({
        code: 'custom',
        path: ['GATEWAY_TLS_KEY_FILE'],
        message: 'required with GATEWAY_TLS_CERT_FILE',
      });
      return z.NEVER;
    }
    if (env.CALLBACK_CLIENT_CERT_CN_HEADER && env.GATEWAY_TRUSTED_PROXIES.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['GATEWAY_TRUSTED_PROXIES'],
        message:
          'required with CALLBACK_CLIENT_CERT_CN_HEADER: the header is believed only from the ingress',
      });
      return z.NEVER;
    }
    const senderChecks = senderChecksOf(env);
    if (env.NODE_ENV === 'production' && senderChecks.length === 0) {
      if (!env.CALLBACK_SENDER_CHECK_DISABLED) {
        ctx.addIssue({
          code: 'custom',
          path: ['CALLBACK_ALLOWED_CIDRS'],
          message:
            'production needs a callback sender check: CALLBACK_ALLOWED_CIDRS (MobilePay: ' +
            `${MOBILEPAY_CALLBACK_CIDRS}), or CALLBACK_CLIENT_CERT_CN with our TLS listener ` +
            '(GATEWAY_TLS_CERT_FILE, GATEWAY_TLS_KEY_FILE, GATEWAY_TLS_CLIENT_CA_FILE) or with ' +
            'CALLBACK_CLIENT_CERT_CN_HEADER from GATEWAY_TRUSTED_PROXIES; ' +
            'CALLBACK_SENDER_CHECK_DISABLED=true runs without one (warned at every boot)',
        });
        return z.NEVER;
      }
    }
    const clearhaus = buildClearhausConfig(env);
    for (const problem of clearhaus.problems) {
      ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
    }
    if (clearhaus.problems.length > 0) return z.NEVER;
    const threeDsServer = buildThreeDsServerConfig(env);
    for (const problem of threeDsServer.problems) {
      ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
    }
    if (threeDsServer.problems.length > 0) return z.NEVER;
    const redisTopology = topologyOf(env, ctx);
    if (!redisTopology) return z.NEVER;
    const activeKeyId = env.CARD_ACTIVE_KEY_ID ?? [...env.CARD_KEYS.keys()][0];
    if (!env.CARD_KEYS.has(activeKeyId)) {
      ctx.addIssue({
        code: 'custom',
        path: ['CARD_ACTIVE_KEY_ID'],
        message: 'not among CARD_KEYS',
      });
      return z.NEVER;
    }
    return {
      env: env.NODE_ENV,
      serviceName: env.SERVICE_NAME,
      logLevel: env.LOG_LEVEL,
      database: {
        url: new Secret(env.DATABASE_URL),
        poolSize: env.DATABASE_POOL_SIZE,
        idleTimeoutMs: env.DATABASE_POOL_IDLE_MS,
      },
      redis: {
        url: new Secret(env.REDIS_URL),
        queuePrefix: env.QUEUE_PREFIX,
        topology: redisTopology,
      },
      mobilePay: {
        apiUrl: env.MOBILEPAY_API_URL.replace(/\/$/, ''),
        clientId: env.MOBILEPAY_CLIENT_ID,
        clientSecret: env.MOBILEPAY_CLIENT_SECRET,
        timeoutMs: env.MOBILEPAY_TIMEOUT_MS,
        retryDelayMs: env.MOBILEPAY_RETRY_DELAY_MS,
        retries: env.MOBILEPAY_RETRIES,
        redeliveryDelayMs: env.MOBILEPAY_REDELIVERY_DELAY_MS,
        redeliveryMaxDelayMs: env.MOBILEPAY_REDELIVERY_MAX_DELAY_MS,
      },
      publicBaseUrl: env.PUBLIC_BASE_URL.replace(/\/$/, ''),
      cardKeys: {
        paths: env.CARD_KEYS,
        activeKeyId,
        timestampWindowMs: env.CARD_TIMESTAMP_WINDOW_MS,
      },
      sealKey: env.CARD_DATA_SEAL_KEY,
      previousSealKeys: env.CARD_DATA_SEAL_PREVIOUS_KEYS ?? new Secret<Buffer[]>([]),
      gateway: {
        port: env.GATEWAY_PORT,
        host: env.GATEWAY_HOST,
        callbackBodyLimitBytes: env.CALLBACK_BODY_LIMIT_BYTES,
        trustedProxies: env.GATEWAY_TRUSTED_PROXIES,
        tls: env.GATEWAY_TLS_CERT_FILE
          ? {
              certFile: env.GATEWAY_TLS_CERT_FILE,
              keyFile: env.GATEWAY_TLS_KEY_FILE,
              clientCaFile: env.GATEWAY_TLS_CLIENT_CA_FILE,
            }
          : undefined,
      },
      callbackSenders: {
        allowedCidrs: env.CALLBACK_ALLOWED_CIDRS,
        clientCertCommonName: env.CALLBACK_CLIENT_CERT_CN,
        clientCertCommonNameHeader: env.CALLBACK_CLIENT_CERT_CN_HEADER,
        /** The checks in force ('cidr', 'tls-client-cn', 'proxied-client-cn'); empty: anyone may call. */
        checks: senderChecks,
      },
      threeDs: {
        windowMs: env.THREE_DS_WINDOW_MS,
        doneUrl: env.THREE_DS_DONE_URL ?? done3dsPageFor(env.MOBILEPAY_API_URL),
        /** The 3-D Secure Server (3dsecure.io); undefined: 3-D Secure cannot authenticate. */
        server: threeDsServer.config,
      },
      tokens: { acceptedCountries: env.TOKEN_ACCEPTED_COUNTRIES, methods: env.TOKEN_METHODS },
      worker: {
        healthPort: env.WORKER_HEALTH_PORT,
        concurrency: env.WORKER_CONCURRENCY,
        janitorIntervalMs: env.JANITOR_INTERVAL_MS,
        janitorGraceMs: env.JANITOR_GRACE_MS,
      },
      acquirer: {
        url: env.ACQUIRER_URL.replace(/\/$/, ''),
        timeoutMs: env.ACQUIRER_TIMEOUT_MS,
        lateArrivalWindowMs: env.ACQUIRER_LATE_ARRIVAL_WINDOW_MS,
        vatNumber: env.ACQUIRER_VAT_NUMBER,
        routes: env.ACQUIRER_ROUTES,
        iso8583: {
          host: env.ACQUIRER_ISO8583_HOST,
          port: env.ACQUIRER_ISO8583_PORT,
          timeoutMs: env.ACQUIRER_ISO8583_TIMEOUT_MS,
          vatNumber: env.ACQUIRER_ISO8583_VAT_NUMBER,
          terminalId: env.ACQUIRER_ISO8583_TERMINAL_ID,
        },
        clearhaus: clearhaus.config,
      },
      payments: {
        patchDeadlineMs: env.PATCH_DEADLINE_MS,
        sendValidUntil: env.MOBILEPAY_SEND_VALID_UNTIL,
        ttlMs:
          env.PAYMENT_TTL_MS ??
          (env.MOBILEPAY_SEND_VALID_UNTIL ? LEGACY_PAYMENT_TTL_MS : PLATFORM_PAYMENT_TTL_MS),
        maxInitiationsPerOrder: env.PAYMENT_MAX_INITIATIONS_PER_ORDER,
      },
      adminApiKey: env.ADMIN_API_KEY ? new Secret(env.ADMIN_API_KEY) : undefined,
      merchantApi: {
        /** `off` skips fetching the logo (its URL is still checked); for offline development. */
        logoCheck: env.MERCHANT_LOGO_CHECK,
      },
      webhooks: {
        timeoutMs: env.WEBHOOK_TIMEOUT_MS,
        retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
        retryMaxDelayMs: env.WEBHOOK_RETRY_MAX_DELAY_MS,
        retryWindowMs: env.WEBHOOK_RETRY_WINDOW_MS,
        dispatchIntervalMs: env.WEBHOOK_DISPATCH_INTERVAL_MS,
      },
      /** The one policy for every request made on a merchant's word (see libs/outbound). */
      outbound: {
        publicAddressesOnly:
          env.OUTBOUND_PUBLIC_ADDRESSES_ONLY === undefined
            ? env.NODE_ENV === 'production'
            : ['true', '1'].includes(env.OUTBOUND_PUBLIC_ADDRESSES_ONLY),
        /** Outside production, plain http to loopback: local shops, the demo, the tests. */
        allowLoopbackHttp: env.NODE_ENV !== 'production',
      },
      telemetry: { enabled: env.OTEL_ENABLED, otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT },
      metrics: {
        prometheus: env.METRICS_ENABLED,
        otlp: env.METRICS_OTLP_ENABLED,
        otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
        otlpIntervalMs: env.METRICS_OTLP_INTERVAL_MS,
        pollIntervalMs: env.METRICS_POLL_INTERVAL_MS,
      },
      shutdownDrainMs: env.SHUTDOWN_DRAIN_MS,
      pos: buildPosConfig(env),
      epayment: buildEpaymentConfig(env),
    };
  });

export type AppConfig = z.infer<typeof schema>;

let processConfig: AppConfig | undefined;

/** The sender ranges MobilePay's guide lists for its callbacks. */
const MOBILEPAY_CALLBACK_CIDRS = '212.93.32.0/19,185.218.228.0/22';

type SenderCheck = 'cidr' | 'tls-client-cn' | 'proxied-client-cn';

/**
 * The callback sender checks that can actually refuse someone. A Common Name counts only where a
 * verified certificate reaches us: our own TLS listener with a client CA, or the ingress's header
 * (believed from the trusted proxies only, which the schema already requires).
 */
function senderChecksOf(env: {
  CALLBACK_ALLOWED_CIDRS: string[];
  CALLBACK_CLIENT_CERT_CN?: string;
  CALLBACK_CLIENT_CERT_CN_HEADER?: string;
  GATEWAY_TLS_CERT_FILE?: string;
  GATEWAY_TLS_CLIENT_CA_FILE?: string;
}): SenderCheck[] {
  const checks: SenderCheck[] = [];
  if (env.CALLBACK_ALLOWED_CIDRS.length > 0) checks.push('cidr');
  if (env.CALLBACK_CLIENT_CERT_CN) {
    if (env.CALLBACK_CLIENT_CERT_CN_HEADER) checks.push('proxied-client-cn');
    else if (env.GATEWAY_TLS_CERT_FILE && env.GATEWAY_TLS_CLIENT_CA_FILE)
      checks.push('tls-client-cn');
  }
  return checks;
}

/** MobilePay's done3ds page (online_sca.md): production's for its production API, else sandbox's. */
export function done3dsPageFor(mobilePayApiUrl: string): string {
  const production = new URL(mobilePayApiUrl).hostname === 'api.mobilepay.dk';
  return production
    ? 'https://products.mobilepay.dk/remote-website/apppages/done3ds.html'
    : 'https://sandprod-products.mobilepay.dk/remote-website/apppages/done3ds.html';
}

/** Parses the environment once per process (the boot code and the DI container share it). */
export function loadAppConfig(source?: NodeJS.ProcessEnv): AppConfig {
  if (source) return parseEnv(schema, source);
  processConfig ??= parseEnv(schema, process.env);
  return processConfig;
}

function topologyOf(
  env: {
    REDIS_MODE: 'standalone' | 'sentinel' | 'cluster';
    REDIS_SENTINELS?: { host: string; port: number }[];
    REDIS_SENTINEL_MASTER?: string;
    REDIS_SENTINEL_PASSWORD?: Secret<string>;
    REDIS_CLUSTER_NODES?: { host: string; port: number }[];
    QUEUE_PREFIX: string;
  },
  ctx: z.RefinementCtx,
): RedisTopology | null {
  const missing = (path: string, message: string) => {
    ctx.addIssue({ code: 'custom', path: [path], message });
    return null;
  };
  switch (env.REDIS_MODE) {
    case 'standalone':
      return { mode: 'standalone' };
    case 'sentinel':
      if (!env.REDIS_SENTINELS)
        return missing('REDIS_SENTINELS', 'required with REDIS_MODE=sentinel');
      if (!env.REDIS_SENTINEL_MASTER) {
        return missing('REDIS_SENTINEL_MASTER', 'required with REDIS_MODE=sentinel');
      }
      return {
        mode: 'sentinel',
        sentinels: env.REDIS_SENTINELS,
        masterName: env.REDIS_SENTINEL_MASTER,
        sentinelPassword: env.REDIS_SENTINEL_PASSWORD,
      };
    case 'cluster':
      if (!env.REDIS_CLUSTER_NODES) {
        return missing('REDIS_CLUSTER_NODES', 'required with REDIS_MODE=cluster');
      }
      // BullMQ keeps a queue's keys in one slot only with a hash tag in the prefix.
      if (!/\{[^}]+\}/.test(env.QUEUE_PREFIX)) {
        return missing('QUEUE_PREFIX', 'needs a hash tag such as {psp} with REDIS_MODE=cluster');
      }
      return { mode: 'cluster', nodes: env.REDIS_CLUSTER_NODES };
  }
}
