import { ConfigError } from './env';
import { loadAppConfig } from './app.config';

const base: NodeJS.ProcessEnv = {
  DATABASE_URL: 'postgresql://app:db-password-x1@db.internal:5432/psp',
  REDIS_URL: 'redis://redis.internal:6379',
  MOBILEPAY_API_URL: 'https://api.sandbox.mobilepay.dk/',
  MOBILEPAY_CLIENT_ID: 'client-id-1',
  MOBILEPAY_CLIENT_SECRET: 'client-secret-1',
  PUBLIC_BASE_URL: 'https://psp.example.com/',
  CARD_KEYS: '263012=/keys/a.pem',
  CARD_DATA_SEAL_KEY: Buffer.alloc(32, 7).toString('base64'),
  ACQUIRER_URL: 'https://acquirer.example.com',
};
const keys = {
  CLEARHAUS_API_KEY: 'merchant-api-key-1',
  CLEARHAUS_SIGNING_API_KEY: '4390aec7-f76a-4c2f-8597-c87c2d06cb4f',
  CLEARHAUS_SIGNING_KEY_FILE: '/keys/clearhaus.pem',
};

function problems(env: NodeJS.ProcessEnv): string {
  try {
    loadAppConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('Clearhaus configuration', () => {
  it('is off without keys, and refused when the routes name clearhaus', () => {
    expect(loadAppConfig(base).acquirer.clearhaus).toBeUndefined();
    expect(problems({ ...base, ACQUIRER_ROUTES: 'DANKORT=nets-iso8583,*=clearhaus' })).toMatch(
      /CLEARHAUS_API_KEY: required when ACQUIRER_ROUTES routes to clearhaus/,
    );
  });

  it('defaults to the test endpoint outside production and to the live one in production', () => {
    const config = loadAppConfig({ ...base, ...keys }).acquirer.clearhaus!;
    expect(config.url).toBe('https://gateway.test.clearhaus.com');
    expect(String(config.apiKey)).toBe('[secret]');
    expect(config.apiKey.reveal()).toBe('merchant-api-key-1');
    expect(config).toMatchObject({ timeoutMs: 10_000, lateAnswerMs: 60_000 });
    const production = loadAppConfig({
      ...base,
      ...keys,
      NODE_ENV: 'production',
      CALLBACK_ALLOWED_CIDRS: '212.93.32.0/19',
    });
    expect(production.acquirer.clearhaus!.url).toBe('https://gateway.clearhaus.com');
  });

  it('wants all three keys together and a UUID signing API key', () => {
    expect(problems({ ...base, CLEARHAUS_API_KEY: 'k' })).toMatch(
      /CLEARHAUS_SIGNING_API_KEY: required/,
    );
    expect(problems({ ...base, ...keys, CLEARHAUS_SIGNING_API_KEY: 'not-a-uuid' })).toMatch(
      /CLEARHAUS_SIGNING_API_KEY: must be a UUID/,
    );
  });
});
