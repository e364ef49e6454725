import { checkOutboundUrl, DomainError, type ErrorCode } from '@app/domain';

/**
 * URLs we fetch or post to on a merchant's behalf (logo, webhooks): the one outbound URL rule
 * (https; nothing a parser could read two ways; outside production, plain http to loopback).
 * Where the host may point is checked separately, by the outbound address policy.
 */
export function requireHttpsUrl(
  raw: string,
  env: 'development' | 'test' | 'production',
  code: ErrorCode,
  field: string,
): URL {
  const check = checkOutboundUrl(raw, { allowLoopbackHttp: env !== 'production' });
  if (!check.ok) throw new DomainError(code, `${field} ${check.reason}`);
  return check.url;
}
