import { timingSafeEqual } from 'node:crypto';

/** The user name of the dashboard's HTTP Basic login; the password is the admin API key. */
export const ADMIN_USER = 'admin';

/**
 * `Authorization: Bearer <admin key>` (API clients) or HTTP Basic `admin:<admin key>` (a browser
 * opening the queue dashboard). Compared in constant time.
 */
export function adminCredentialsValid(header: string | undefined, adminKey: string): boolean {
  if (!header) return false;
  const [scheme, value = ''] = header.trim().split(/\s+/, 2);
  if (/^bearer$/i.test(scheme)) return sameSecret(value, adminKey);
  if (!/^basic$/i.test(scheme)) return false;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const userMatches = sameSecret(decoded.slice(0, colon), ADMIN_USER);
  const keyMatches = sameSecret(decoded.slice(colon + 1), adminKey);
  return userMatches && keyMatches;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
