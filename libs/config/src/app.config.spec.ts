import { inspect } from 'node:util';
import { loadAppConfig } from './app.config';
import { ConfigError } from './env';

const CLIENT_SECRET = 'mp-client-secret-9f8e7d6c5b4a';
const SEAL_KEY = Buffer.from(
  '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
  'hex',
);
const ADMIN_KEY = 'admin-key-0123456789abcdefghij';

function completeEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: 'postgresql://app:db-password-x1@db.internal:5432/psp',
    REDIS_URL: 'redis://redis.internal:6379',
    MOBILEPAY_API_URL: 'https://api.sandbox.mobilepay.dk/',
    MOBILEPAY_CLIENT_ID: 'client-id-1',
    MOBILEPAY_CLIENT_SECRET: CLIENT_SECRET,
    PUBLIC_BASE_URL: 'https://psp.example.com/',
    CARD_KEYS: '263012=/keys/a.pem',
    CARD_DATA_SEAL_KEY: SEAL_KEY.toString('base64'),
    ACQUIRER_URL: 'https://acquirer.example.com',
    ...overrides,
  };
}

function configError(source: NodeJS.ProcessEnv): ConfigError {
  let thrown: unknown;
  try {
    loadAppConfig(source);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ConfigError);
  return thrown as ConfigError;
}

describe('loadAppConfig', () => {
  it('builds typed, nested configuration from a complete environment', () => {
    const sut = loadAppConfig(
      completeEnv({
        DATABASE_POOL_SIZE: '7',
        MOBILEPAY_RETRIES: '6',
        MOBILEPAY_TIMEOUT_MS: '1500',
        GATEWAY_PORT: '8080',
        OTEL_ENABLED: '1',
        ADMIN_API_KEY: ADMIN_KEY,
      }),
    );

    expect(sut.database.poolSize).toBe(7);
    expect(sut.database.url.reveal()).toBe('postgresql://app:db-password-x1@db.internal:5432/psp');
    expect(sut.mobilePay).toMatchObject({
      apiUrl: 'https://api.sandbox.mobilepay.dk',
      clientId: 'client-id-1',
      timeoutMs: 1500,
      retryDelayMs: 1000,
      retries: 6,
    });
    expect(sut.mobilePay.clientSecret.reveal()).toBe(CLIENT_SECRET);
    expect(sut.publicBaseUrl).toBe('https://psp.example.com');
    expect(sut.cardKeys.paths).toEqual(new Map([[263012, '/keys/a.pem']]));
    expect(sut.cardKeys.activeKeyId).toBe(263012);
    expect(sut.sealKey.reveal()).toEqual(SEAL_KEY);
    expect(sut.gateway.port).toBe(8080);
    expect(sut.telemetry.enabled).toBe(true);
    expect(sut.adminApiKey?.reveal()).toBe(ADMIN_KEY);
    expect(sut.env).toBe('development');
    expect(sut.payments).toEqual({
      patchDeadlineMs: 32_000,
      ttlMs: 35 * 60_000,
      maxInitiationsPerOrder: 3,
    });
  });

  it('lists every problem of a broken environment in one ConfigError', () => {
    const error = configError({
      MOBILEPAY_RETRIES: '7',
      GATEWAY_PORT: '70000',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'not a url',
    });
    for (const name of [
      'DATABASE_URL',
      'REDIS_URL',
      'MOBILEPAY_API_URL',
      'MOBILEPAY_CLIENT_ID',
      'MOBILEPAY_CLIENT_SECRET',
      'PUBLIC_BASE_URL',
      'CARD_KEYS',
      'CARD_DATA_SEAL_KEY',
      'ACQUIRER_URL',
      'MOBILEPAY_RETRIES',
      'GATEWAY_PORT',
      'LOG_LEVEL',
    ]) {
      expect(error.message).toMatch(new RegExp(`^  - ${name}: `, 'm'));
    }
    expect(error.message.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(12);
  });

  it('reads the Redis topology: standalone by default, Sentinel and Cluster with their nodes', () => {
    expect(loadAppConfig(completeEnv()).redis.topology).toEqual({ mode: 'standalone' });
    const sentinel = loadAppConfig(
      completeEnv({
        REDIS_MODE: 'sentinel',
        REDIS_SENTINELS: 'sentinel-0.internal:26379, [fd00::7]:26379',
        REDIS_SENTINEL_MASTER: 'mymaster',
      }),
    ).redis.topology;
    expect(sentinel).toMatchObject({
      mode: 'sentinel',
      masterName: 'mymaster',
      sentinels: [
        { host: 'sentinel-0.internal', port: 26379 },
        { host: 'fd00::7', port: 26379 },
      ],
    });
    const cluster = loadAppConfig(
      completeEnv({ REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'n1:6379,n2:6380' }),
    ).redis.topology;
    expect(cluster).toEqual({
      mode: 'cluster',
      nodes: [
        { host: 'n1', port: 6379 },
        { host: 'n2', port: 6380 },
      ],
    });
  });

  it('refuses a Redis topology without what it needs', () => {
    expect(configError(completeEnv({ REDIS_MODE: 'sentinel' })).message).toContain(
      'REDIS_SENTINELS',
    );
    expect(
      configError(completeEnv({ REDIS_MODE: 'sentinel', REDIS_SENTINELS: 's:26379' })).message,
    ).toContain('REDIS_SENTINEL_MASTER');
    expect(configError(completeEnv({ REDIS_MODE: 'cluster' })).message).toContain(
      'REDIS_CLUSTER_NODES',
    );
    // Without a hash tag BullMQ's keys of one queue would spread over slots.
    expect(
      configError(
        completeEnv({ REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'n1:6379', QUEUE_PREFIX: 'psp' }),
      ).message,
    ).toContain('QUEUE_PREFIX');
    expect(
      configError(completeEnv({ REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'n1' })).message,
    ).toContain('REDIS_CLUSTER_NODES');
  });

  it('reads previous seal keys for a rotation, and refuses malformed ones', () => {
    const previous = Buffer.alloc(32, 7);
    const sut = loadAppConfig(
      completeEnv({ CARD_DATA_SEAL_PREVIOUS_KEYS: previous.toString('base64') }),
    );
    expect(sut.previousSealKeys.reveal()).toEqual([previous]);
    expect(loadAppConfig(completeEnv()).previousSealKeys.reveal()).toEqual([]);
    expect(
      configError(completeEnv({ CARD_DATA_SEAL_PREVIOUS_KEYS: 'c2hvcnQ=' })).message,
    ).toContain('CARD_DATA_SEAL_PREVIOUS_KEYS');
  });

  it('reads CARD_KEYS as JSON', () => {
    const sut = loadAppConfig(
      completeEnv({
        CARD_KEYS: '{"263012":"/keys/a.pem","263013":"/keys/b.pem"}',
        CARD_ACTIVE_KEY_ID: '263013',
      }),
    );
    expect(sut.cardKeys.paths).toEqual(
      new Map([
        [263012, '/keys/a.pem'],
        [263013, '/keys/b.pem'],
      ]),
    );
    expect(sut.cardKeys.activeKeyId).toBe(263013);
  });

  it('reads CARD_KEYS as id=path pairs, keeping "=" inside a path', () => {
    const sut = loadAppConfig(
      completeEnv({ CARD_KEYS: ' 263012=/keys/a.pem , 263013=/keys/b=c.pem' }),
    );
    expect(sut.cardKeys.paths).toEqual(
      new Map([
        [263012, '/keys/a.pem'],
        [263013, '/keys/b=c.pem'],
      ]),
    );
    expect(sut.cardKeys.activeKeyId).toBe(263012);
  });

  it.each(['abc=/keys/a.pem', '263012=', '0=/keys/a.pem', '-1=/keys/a.pem', '263012'])(
    'rejects the CARD_KEYS entry %p',
    (cardKeys) => {
      expect(configError(completeEnv({ CARD_KEYS: cardKeys })).message).toMatch(/CARD_KEYS: /);
    },
  );

  it('rejects a CARD_ACTIVE_KEY_ID that is not among CARD_KEYS', () => {
    const error = configError(completeEnv({ CARD_ACTIVE_KEY_ID: '263099' }));
    expect(error.message).toMatch(/CARD_ACTIVE_KEY_ID: not among CARD_KEYS/);
  });

  it('redirects 3-D Secure to the done3ds page of the MobilePay it talks to, unless told otherwise', () => {
    expect(loadAppConfig(completeEnv()).threeDs.doneUrl).toBe(
      'https://sandprod-products.mobilepay.dk/remote-website/apppages/done3ds.html',
    );
    const production = completeEnv({ MOBILEPAY_API_URL: 'https://api.mobilepay.dk' });
    expect(loadAppConfig(production).threeDs.doneUrl).toBe(
      'https://products.mobilepay.dk/remote-website/apppages/done3ds.html',
    );
    const own = completeEnv({ THREE_DS_DONE_URL: 'https://psp.example.com/done3ds.html' });
    expect(loadAppConfig(own).threeDs.doneUrl).toBe('https://psp.example.com/done3ds.html');
  });

  it('refuses a client-certificate header without the proxies it may come from', () => {
    const header = { CALLBACK_CLIENT_CERT_CN_HEADER: 'x-client-cert-cn' };
    expect(configError(completeEnv(header)).message).toMatch(
      /GATEWAY_TRUSTED_PROXIES: required with CALLBACK_CLIENT_CERT_CN_HEADER/,
    );
    const behindIngress = loadAppConfig(
      completeEnv({ ...header, GATEWAY_TRUSTED_PROXIES: '10.0.0.0/8' }),
    );
    expect(behindIngress.callbackSenders.clientCertCommonNameHeader).toBe('x-client-cert-cn');
  });

  describe('callback sender checks in production', () => {
    const production = (overrides: Record<string, string | undefined> = {}) =>
      completeEnv({ NODE_ENV: 'production', ...overrides });

    it('refuses to start with the callbacks open to anyone, naming the ways to close them', () => {
      const message = configError(production()).message;
      expect(message).toMatch(/CALLBACK_ALLOWED_CIDRS: production needs a callback sender check/);
      expect(message).toMatch(/CALLBACK_CLIENT_CERT_CN/);
      expect(message).toMatch(/CALLBACK_SENDER_CHECK_DISABLED=true/);
    });

    it('does not count a Common Name that no verified certificate can ever carry', () => {
      // No client CA on our listener and no ingress header: nothing would verify the CN.
      configError(production({ CALLBACK_CLIENT_CERT_CN: 'callbacks.mobilepay.dk' }));
      configError(
        production({
          CALLBACK_CLIENT_CERT_CN: 'callbacks.mobilepay.dk',
          GATEWAY_TLS_CERT_FILE: '/tls/cert.pem',
          GATEWAY_TLS_KEY_FILE: '/tls/key.pem',
        }),
      );
    });

    it.each([
      [
        'an address allow-list',
        { CALLBACK_ALLOWED_CIDRS: '212.93.32.0/19,185.218.228.0/22' },
        'cidr',
      ],
      [
        'a Common Name on our TLS listener',
        {
          CALLBACK_CLIENT_CERT_CN: 'callbacks.mobilepay.dk',
          GATEWAY_TLS_CERT_FILE: '/tls/cert.pem',
          GATEWAY_TLS_KEY_FILE: '/tls/key.pem',
          GATEWAY_TLS_CLIENT_CA_FILE: '/tls/mobilepay-ca.pem',
        },
        'tls-client-cn',
      ],
      [
        'a Common Name header from trusted proxies',
        {
          CALLBACK_CLIENT_CERT_CN: 'callbacks.mobilepay.dk',
          CALLBACK_CLIENT_CERT_CN_HEADER: 'x-client-cert-cn',
          GATEWAY_TRUSTED_PROXIES: '10.0.0.0/8',
        },
        'proxied-client-cn',
      ],
    ])('starts with %s', (_name, overrides, check) => {
      expect(loadAppConfig(production(overrides)).callbackSenders.checks).toEqual([check]);
    });

    it('starts without one only when told to, and then knows it is unchecked', () => {
      const config = loadAppConfig(production({ CALLBACK_SENDER_CHECK_DISABLED: 'true' }));
      expect(config.callbackSenders.checks).toEqual([]);
    });

    it('leaves development and tests free to run without a sender check', () => {
      expect(loadAppConfig(completeEnv()).callbackSenders.checks).toEqual([]);
    });
  });

  it.each([16, 31, 33, 64])('rejects a %i-byte CARD_DATA_SEAL_KEY', (length) => {
    const error = configError(
      completeEnv({ CARD_DATA_SEAL_KEY: Buffer.alloc(length, 7).toString('base64') }),
    );
    expect(error.message).toMatch(/CARD_DATA_SEAL_KEY: must be 32 random bytes/);
  });

  it('accepts MOBILEPAY_RETRIES up to 6 and rejects more', () => {
    expect(loadAppConfig(completeEnv({ MOBILEPAY_RETRIES: '0' })).mobilePay.retries).toBe(0);
    expect(loadAppConfig(completeEnv()).mobilePay.retries).toBe(2);
    expect(configError(completeEnv({ MOBILEPAY_RETRIES: '7' })).message).toMatch(
      /MOBILEPAY_RETRIES: /,
    );
    expect(configError(completeEnv({ MOBILEPAY_RETRIES: '-1' })).message).toMatch(
      /MOBILEPAY_RETRIES: /,
    );
  });

  it('never prints secrets through JSON.stringify or util.inspect', () => {
    const sut = loadAppConfig(completeEnv({ ADMIN_API_KEY: ADMIN_KEY }));
    const printed = [
      JSON.stringify(sut),
      inspect(sut, { depth: Infinity, showHidden: true }),
      String(sut.mobilePay.clientSecret),
      `${String(sut.sealKey)}`,
    ];
    for (const text of printed) {
      expect(text).not.toContain(CLIENT_SECRET);
      expect(text).not.toContain(SEAL_KEY.toString('base64'));
      expect(text).not.toContain(SEAL_KEY.toString('hex'));
      expect(text).not.toContain('0, 1, 2, 3, 4, 5');
      expect(text).not.toContain(ADMIN_KEY);
      expect(text).not.toContain('db-password-x1');
    }
    expect(JSON.stringify(sut)).toContain('"clientSecret":"[secret]"');
  });

  it('does not echo secret values in a ConfigError', () => {
    const error = configError(
      completeEnv({ CARD_DATA_SEAL_KEY: 'c2hvcnQta2V5', ACQUIRER_URL: '' }),
    );
    expect(error.message).not.toContain(CLIENT_SECRET);
    expect(error.message).not.toContain('c2hvcnQta2V5');
  });

  it('reports malformed CARD_KEYS JSON as a ConfigError next to the other problems', () => {
    const error = configError(completeEnv({ CARD_KEYS: '{not json', ACQUIRER_URL: undefined }));
    expect(error.message).toMatch(/CARD_KEYS: /);
    expect(error.message).toMatch(/ACQUIRER_URL: /);
  });

  it('rejects CARD_KEYS JSON whose paths are not strings', () => {
    configError(completeEnv({ CARD_KEYS: '{"263012": 5}' }));
  });
});
