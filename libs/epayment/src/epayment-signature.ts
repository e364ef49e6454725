import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Vipps MobilePay's request signature (Webhooks API request-authentication.md), also used on the
 * card callback keyed with the PSP's client secret:
 *   x-ms-content-sha256 = base64(SHA-256(raw body))
 *   Authorization = "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=" +
 *                   base64(HMAC-SHA256(secret as UTF-8, "POST\n<pathAndQuery>\n<date>;<host>;<hash>"))
 */

export interface SignedRequest {
  method: string;
  /** Path and query of the URL the request was sent to (the registered URL's). */
  pathAndQuery: string;
  host: string;
  date: string;
  body: string | Buffer;
}

export interface SignatureHeaders {
  'x-ms-date': string;
  'x-ms-content-sha256': string;
  authorization: string;
}

const PREFIX = 'HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=';

export function contentSha256(body: string | Buffer): string {
  return createHash('sha256').update(body).digest('base64');
}

export function signatureFor(secret: string, request: SignedRequest, contentHash: string): string {
  const toSign = `${request.method.toUpperCase()}\n${request.pathAndQuery}\n${request.date};${request.host};${contentHash}`;
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(toSign).digest('base64');
}

/** The headers a sender adds (the sandbox signs with this; so could a test). */
export function signRequest(secret: string, request: SignedRequest): SignatureHeaders {
  const hash = contentSha256(request.body);
  return {
    'x-ms-date': request.date,
    'x-ms-content-sha256': hash,
    authorization: `${PREFIX}${signatureFor(secret, request, hash)}`,
  };
}

export type SignatureCheck =
  | { ok: true }
  | {
      ok: false;
      reason: 'missing_headers' | 'content_hash_mismatch' | 'bad_signature' | 'stale_date';
    };

/**
 * Checks a received request. `maxSkewMs` bounds how far `x-ms-date` may be from now (replay
 * window); 0 turns the check off. Every comparison is constant-time.
 */
export function verifyRequest(
  secret: string,
  request: Omit<SignedRequest, 'date'> & {
    date: string | undefined;
    contentSha256: string | undefined;
    authorization: string | undefined;
  },
  maxSkewMs: number,
  now: number = Date.now(),
): SignatureCheck {
  const { date, contentSha256: claimedHash, authorization } = request;
  if (!date || !claimedHash || !authorization) return { ok: false, reason: 'missing_headers' };
  if (!safeEqual(claimedHash, contentSha256(request.body)))
    return { ok: false, reason: 'content_hash_mismatch' };
  const expected = `${PREFIX}${signatureFor(secret, { ...request, date }, claimedHash)}`;
  if (!safeEqual(authorization, expected)) return { ok: false, reason: 'bad_signature' };
  if (maxSkewMs > 0) {
    const at = Date.parse(date);
    if (Number.isNaN(at) || Math.abs(now - at) > maxSkewMs)
      return { ok: false, reason: 'stale_date' };
  }
  return { ok: true };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
