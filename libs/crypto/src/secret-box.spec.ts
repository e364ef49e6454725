import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

const ENDPOINT = '0c9d6a7e-8f5e-4b0a-9a59-2d1c8b7f6e01';
const OTHER = '0c9d6a7e-8f5e-4b0a-9a59-2d1c8b7f6e02';
const SECRET = `whsec_${randomBytes(32).toString('base64url')}`;

describe('SecretBox', () => {
  const sealKey = randomBytes(32);
  const sut = new SecretBox(sealKey, 'webhook-signing-secret');

  it('round-trips, and the stored form holds nothing of the secret', () => {
    const sealed = sut.seal(SECRET, ENDPOINT);
    expect(SecretBox.isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain(SECRET.slice(6, 20));
    expect(sut.open(sealed, ENDPOINT)).toBe(SECRET);
    // A fresh IV every time.
    expect(sut.seal(SECRET, ENDPOINT)).not.toBe(sealed);
  });

  it('refuses another row, a tampered value, another purpose and another key', () => {
    const sealed = sut.seal(SECRET, ENDPOINT);
    expect(() => sut.open(sealed, OTHER)).toThrow();
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3], 'base64url');
    flipped[0] ^= 1;
    parts[3] = flipped.toString('base64url');
    expect(() => sut.open(parts.join('.'), ENDPOINT)).toThrow();
    expect(() => new SecretBox(sealKey, 'another-purpose').open(sealed, ENDPOINT)).toThrow();
    expect(() =>
      new SecretBox(randomBytes(32), 'webhook-signing-secret').open(sealed, ENDPOINT),
    ).toThrow(/not configured/);
    expect(() => sut.open(SECRET, ENDPOINT)).toThrow(/not a sealed secret/);
  });

  it('opens what a previous seal key sealed, after a rotation; seals with the new one', () => {
    const sealed = sut.seal(SECRET, ENDPOINT);
    const rotated = new SecretBox(randomBytes(32), 'webhook-signing-secret', [sealKey]);
    expect(rotated.open(sealed, ENDPOINT)).toBe(SECRET);
    expect(rotated.isStale(sealed)).toBe(true);
    expect(rotated.isStale(rotated.seal(SECRET, ENDPOINT))).toBe(false);
    expect(rotated.isStale(SECRET)).toBe(true);
    expect(() => sut.open(rotated.seal(SECRET, ENDPOINT), ENDPOINT)).toThrow(/not configured/);
  });

  it('derives its key: the seal key itself does not open it', () => {
    const sealed = sut.seal(SECRET, ENDPOINT);
    const keyId = sealed.split('.')[1];
    expect(keyId).not.toBe(new SecretBox(sealKey, 'x').seal('y', ENDPOINT).split('.')[1]);
  });
});
