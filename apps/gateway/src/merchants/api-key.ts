import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `psk_<prefix>_<secret>`. The prefix finds the row; only a SHA-256 of the
 * 256-bit secret is stored (a slow hash adds nothing for secrets this long).
 */
export interface IssuedApiKey {
  prefix: string;
  secretHash: string;
  plaintext: string;
}

const PATTERN = /^psk_([a-f0-9]{16})_([A-Za-z0-9_-]{43})$/;

export function issueApiKey(): IssuedApiKey {
  const prefix = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { prefix, secretHash: hashSecret(secret), plaintext: `psk_${prefix}_${secret}` };
}

export function splitApiKey(plaintext: string): { prefix: string; secret: string } | undefined {
  const match = PATTERN.exec(plaintext);
  return match ? { prefix: match[1], secret: match[2] } : undefined;
}

export function secretMatches(secret: string, secretHash: string): boolean {
  const actual = Buffer.from(hashSecret(secret), 'hex');
  const expected = Buffer.from(secretHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
