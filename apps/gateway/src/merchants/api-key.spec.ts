import { createHash } from 'node:crypto';
import { issueApiKey, secretMatches, splitApiKey } from './api-key';

describe('API keys', () => {
  it('issues psk_<16 hex>_<43 base64url> keys', () => {
    const sut = issueApiKey();
    expect(sut.plaintext).toMatch(/^psk_[a-f0-9]{16}_[A-Za-z0-9_-]{43}$/);
    expect(sut.plaintext.startsWith(`psk_${sut.prefix}_`)).toBe(true);
  });

  it('stores only a SHA-256 of the secret, never the secret itself', () => {
    const sut = issueApiKey();
    const { secret } = splitApiKey(sut.plaintext)!;
    expect(sut.secretHash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(sut.secretHash).not.toContain(secret);
  });

  it('issues a different key every time', () => {
    const keys = Array.from({ length: 50 }, () => issueApiKey());
    expect(new Set(keys.map((key) => key.prefix)).size).toBe(50);
    expect(new Set(keys.map((key) => key.plaintext)).size).toBe(50);
  });

  it('splits an issued key into its prefix and a secret that matches the hash', () => {
    const issued = issueApiKey();
    const parts = splitApiKey(issued.plaintext);
    expect(parts?.prefix).toBe(issued.prefix);
    expect(parts?.secret).toHaveLength(43);
    expect(secretMatches(parts!.secret, issued.secretHash)).toBe(true);
  });

  it('refuses a wrong secret, including one that differs in the last character', () => {
    const issued = issueApiKey();
    const { secret } = splitApiKey(issued.plaintext)!;
    const last = secret.at(-1) === 'A' ? 'B' : 'A';
    expect(secretMatches(`${secret.slice(0, -1)}${last}`, issued.secretHash)).toBe(false);
    expect(secretMatches(splitApiKey(issueApiKey().plaintext)!.secret, issued.secretHash)).toBe(
      false,
    );
    expect(secretMatches('', issued.secretHash)).toBe(false);
  });

  it('compares the whole hash: a stored hash differing only in its last byte fails', () => {
    const issued = issueApiKey();
    const { secret } = splitApiKey(issued.plaintext)!;
    const last = issued.secretHash.at(-1) === '0' ? '1' : '0';
    expect(secretMatches(secret, `${issued.secretHash.slice(0, -1)}${last}`)).toBe(false);
    expect(secretMatches(secret, issued.secretHash.slice(0, 32))).toBe(false);
  });

  it('refuses, without throwing, a stored hash that is malformed', () => {
    const { secret } = splitApiKey(issueApiKey().plaintext)!;
    expect(secretMatches(secret, '')).toBe(false);
    expect(secretMatches(secret, 'abc')).toBe(false);
    expect(secretMatches(secret, 'zz'.repeat(32))).toBe(false);
  });

  it.each([
    ['empty', () => ''],
    ['no psk_ tag', (k: string) => k.replace(/^psk_/, '')],
    ['another tag', (k: string) => k.replace(/^psk_/, 'sk_')],
    [
      'upper-case prefix',
      (k: string) => k.replace(/^psk_([a-f0-9]{16})/, (_m, p: string) => `psk_${p.toUpperCase()}`),
    ],
    ['short prefix', (k: string) => k.replace(/^psk_[a-f0-9]/, 'psk_')],
    ['secret one char short', (k: string) => k.slice(0, -1)],
    ['secret one char long', (k: string) => `${k}A`],
    ['secret with +/', (k: string) => `${k.slice(0, -2)}+/`],
    ['leading blank', (k: string) => ` ${k}`],
    ['trailing newline', (k: string) => `${k}\n`],
    ['Bearer scheme', (k: string) => `Bearer ${k}`],
  ])('rejects a malformed key (%s)', (_case, mangle) => {
    expect(splitApiKey(mangle(issueApiKey().plaintext))).toBeUndefined();
  });
});
