import {
  hasWithheldSecret,
  holdsSecret,
  restoreSecrets,
  WITHHELD_SECRET,
  withholdSecrets,
} from './secret-values';

const API_KEY = 'psk_0123456789abcdef_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';
const WEBHOOK_SECRET = 'whsec_QWxhZGRpbjpvcGVuIHNlc2FtZQ_Zm9vYmFyYmF6cXV4cXV1eDEyMzQ1Ng';

describe('secrets in a stored response', () => {
  const response = {
    merchant: { id: 'm-1', name: 'Kaffe og Kage', tags: ['psk_ in a label', 'plain'] },
    apiKey: API_KEY,
    created: { prefix: 'psk_0123456789abcdef', apiKey: API_KEY },
    endpoints: [{ url: 'https://shop.dk/hooks', secret: WEBHOOK_SECRET }],
    amount: 12995,
    flags: [true, null],
  };

  it('withholds every string that carries a secret tag, wherever it is', () => {
    const sut = withholdSecrets(response);
    const stored = JSON.stringify(sut.body);
    expect(stored).not.toContain('psk_');
    expect(stored).not.toContain('whsec_');
    expect(sut.secrets.map((s) => s.path)).toEqual([
      ['merchant', 'tags', 0],
      ['apiKey'],
      ['created', 'prefix'],
      ['created', 'apiKey'],
      ['endpoints', 0, 'secret'],
    ]);
    expect(sut.body).toMatchObject({
      apiKey: WITHHELD_SECRET,
      merchant: { id: 'm-1', tags: [WITHHELD_SECRET, 'plain'] },
      amount: 12995,
      flags: [true, null],
    });
    expect(hasWithheldSecret(sut.body)).toBe(true);
  });

  it('restores them exactly, without touching the stored copy', () => {
    const { body, secrets } = withholdSecrets(response);
    const restored = restoreSecrets(body, secrets);
    expect(restored).toEqual(response);
    expect(hasWithheldSecret(restored)).toBe(false);
    expect(hasWithheldSecret(body)).toBe(true);
  });

  it('leaves a response without secrets alone, and handles a bare secret', () => {
    expect(withholdSecrets({ id: 'p-1', status: 'INITIATED' })).toEqual({
      body: { id: 'p-1', status: 'INITIATED' },
      secrets: [],
    });
    const bare = withholdSecrets(API_KEY);
    expect(bare.body).toBe(WITHHELD_SECRET);
    expect(restoreSecrets(bare.body, bare.secrets)).toBe(API_KEY);
    expect(withholdSecrets(undefined)).toEqual({ body: undefined, secrets: [] });
  });

  it.each([
    [API_KEY, true],
    [WEBHOOK_SECRET, true],
    ['Bearer psk_x', true],
    ['sk_live_x', false],
    ['whsec', false],
  ])('tells a secret by its tag: %s', (value, expected) => {
    expect(holdsSecret(value)).toBe(expected);
  });
});
