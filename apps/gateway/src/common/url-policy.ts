import { DomainError, type ErrorCode } from '@app/domain';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * URLs we fetch or post to on a merchant's behalf (logo, webhooks) must be https. Outside
 * production, plain http to the loopback interface is allowed too, for local shops and tests.
 */
export function requireHttpsUrl(
  raw: string,
  env: 'development' | 'test' | 'production',
  code: ErrorCode,
  field: string,
): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DomainError(code, `${field} is not a URL`);
  }
  if (url.username || url.password) {
    throw new DomainError(code, `${field} must not contain credentials`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && env !== 'production' && LOOPBACK_HOSTS.has(url.hostname)) {
    return url;
  }
  throw new DomainError(code, `${field} must be an https URL`);
}
