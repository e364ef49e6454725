import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The console's session cookie: HttpOnly, SameSite=Strict, on every path (the console calls /v1/admin). */
export const SESSION_COOKIE = 'psp_console';
/** Header carrying the CSRF token on every state-changing request made with the session cookie. */
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

/**
 * Stateless console sessions, opened with the admin key (`ADMIN_API_KEY`). The token is
 * `<payload>.<HMAC>` under a key derived from the admin key, so rotating the admin key ends every
 * session; it holds an expiry and a random nonce, nothing else. The CSRF token is a second HMAC
 * of the session token: a page of another origin can neither read it nor derive it, and SameSite
 * keeps the cookie off cross-site requests in the first place (two independent defences).
 * Logging out clears the cookie; a copied token stays valid until it expires (8 h).
 */
export class ConsoleSessions {
  private readonly signingKey: Buffer;

  constructor(adminKey: string) {
    this.signingKey = createHmac('sha256', adminKey).update('psp-console-session-v1').digest();
  }

  open(now = Date.now()): { token: string; csrf: string; expiresAt: Date } {
    const payload = Buffer.from(
      JSON.stringify({ exp: now + SESSION_TTL_MS, n: randomBytes(16).toString('base64url') }),
    ).toString('base64url');
    const token = `${payload}.${this.mac(`session:${payload}`)}`;
    return { token, csrf: this.csrfFor(token), expiresAt: new Date(now + SESSION_TTL_MS) };
  }

  /** True for a token this key signed that has not expired. */
  valid(token: string | undefined, now = Date.now()): boolean {
    if (!token) return false;
    const [payload, mac, extra] = token.split('.');
    if (!payload || !mac || extra !== undefined) return false;
    if (!sameText(mac, this.mac(`session:${payload}`))) return false;
    try {
      const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
        exp?: unknown;
      };
      return typeof exp === 'number' && exp > now;
    } catch {
      return false;
    }
  }

  csrfFor(token: string): string {
    return this.mac(`csrf:${token}`);
  }

  csrfValid(token: string, csrf: string | undefined): boolean {
    return typeof csrf === 'string' && sameText(csrf, this.csrfFor(token));
  }

  private mac(text: string): string {
    return createHmac('sha256', this.signingKey).update(text).digest('base64url');
  }
}

/** The session token from a `Cookie` header, if there is one. */
export function sessionTokenOf(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** `Set-Cookie` for a new session (Secure when the console is reached over https). */
export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Expires=${expiresAt.toUTCString()}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return [
    `${SESSION_COOKIE}=`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    'Max-Age=0',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
