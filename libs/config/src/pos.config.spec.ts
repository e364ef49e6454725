import { loadAppConfig } from './app.config';
import { loadSandboxConfig } from './sandbox.config';

const base = {
  DATABASE_URL: 'postgresql://app@db.internal:5432/psp',
  REDIS_URL: 'redis://redis.internal:6379',
  MOBILEPAY_API_URL: 'https://api.sandbox.mobilepay.dk/',
  MOBILEPAY_CLIENT_ID: 'client-id-1',
  MOBILEPAY_CLIENT_SECRET: 'secret',
  PUBLIC_BASE_URL: 'https://psp.example.com/',
  CARD_KEYS: '263012=/keys/a.pem',
  CARD_DATA_SEAL_KEY: Buffer.alloc(32, 7).toString('base64'),
  ACQUIRER_URL: 'https://acquirer.example.com',
};

describe('PoS v10 configuration', () => {
  it('is off without credentials, and follows the MobilePay API URL by default', () => {
    const { pos } = loadAppConfig(base);
    expect(pos.credentials).toBeUndefined();
    expect(pos).toMatchObject({
      apiUrl: 'https://api.sandbox.mobilepay.dk',
      authUrl: 'https://api.sandbox.mobilepay.dk/integrator-authentication',
      clientSystemVersion: '1.0.0',
      merchantLockedTokens: false,
      writeTimeoutMs: 2_000,
      readTimeoutMs: 500,
      retries: 2,
      minPollDelayMs: 1_000,
    });
  });

  it('takes credentials (secret wrapped), an ibm client id and its own URLs', () => {
    const { pos } = loadAppConfig({
      ...base,
      POS_API_URL: 'https://api.mobilepay.dk/',
      POS_CLIENT_ID: 'oauth-id',
      POS_CLIENT_SECRET: 'oauth-secret',
      POS_IBM_CLIENT_ID: 'app-id',
      POS_MERCHANT_LOCKED_TOKENS: 'true',
    });
    expect(pos.apiUrl).toBe('https://api.mobilepay.dk');
    expect(pos.credentials).toMatchObject({ clientId: 'oauth-id', ibmClientId: 'app-id' });
    expect(pos.credentials?.clientSecret.reveal()).toBe('oauth-secret');
    expect(String(pos.credentials?.clientSecret)).not.toContain('oauth-secret');
    expect(pos.merchantLockedTokens).toBe(true);
  });

  it('refuses more than 5 retries, polling faster than once a second and a bad client version', () => {
    expect(() => loadAppConfig({ ...base, POS_RETRIES: '6' })).toThrow(/POS_RETRIES/);
    expect(() => loadAppConfig({ ...base, POS_MIN_POLL_DELAY_MS: '500' })).toThrow(
      /POS_MIN_POLL_DELAY_MS/,
    );
    expect(() => loadAppConfig({ ...base, POS_CLIENT_SYSTEM_VERSION: '1.0' })).toThrow(
      /POS_CLIENT_SYSTEM_VERSION/,
    );
  });

  it('gives the simulator OAuth clients and a poll delay', () => {
    const { pos } = loadSandboxConfig({
      SANDBOX_POS_CLIENTS: 'a=b,c=d=e',
      SANDBOX_POS_POLL_DELAY_MS: '250',
    });
    expect([...pos.clients]).toEqual([
      ['a', 'b'],
      ['c', 'd=e'],
    ]);
    expect(pos).toMatchObject({ pollDelayMs: 250, throttle: true, tokenTtlS: 3700 });
  });
});
