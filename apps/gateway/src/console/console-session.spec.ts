import {
  clearedSessionCookie,
  ConsoleSessions,
  SESSION_TTL_MS,
  sessionCookie,
  sessionTokenOf,
} from './console-session';

const KEY = 'admin-key-0123456789abcdefghij';

describe('ConsoleSessions', () => {
  const sut = new ConsoleSessions(KEY);

  it('accepts a session it opened until it expires', () => {
    const now = 1_800_000_000_000;
    const { token, expiresAt } = sut.open(now);
    expect(expiresAt.getTime()).toBe(now + SESSION_TTL_MS);
    expect(sut.valid(token, now + 1)).toBe(true);
    expect(sut.valid(token, now + SESSION_TTL_MS - 1)).toBe(true);
    expect(sut.valid(token, now + SESSION_TTL_MS)).toBe(false);
  });

  it('refuses tokens it did not sign, altered ones, and those of another admin key', () => {
    const { token } = sut.open();
    const [payload, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ exp: Date.now() + 1e12, n: 'x' })).toString(
      'base64url',
    );
    expect(sut.valid(`${forged}.${mac}`)).toBe(false);
    expect(sut.valid(`${payload}.${mac.slice(0, -2)}AA`)).toBe(false);
    expect(sut.valid(`${payload}.${mac}.x`)).toBe(false);
    expect(sut.valid(payload)).toBe(false);
    expect(sut.valid(undefined)).toBe(false);
    expect(new ConsoleSessions(`${KEY}-rotated`).valid(token)).toBe(false);
  });

  it('binds the CSRF token to its session', () => {
    const a = sut.open();
    const b = sut.open();
    expect(a.token).not.toBe(b.token);
    expect(sut.csrfValid(a.token, a.csrf)).toBe(true);
    expect(sut.csrfValid(a.token, b.csrf)).toBe(false);
    expect(sut.csrfValid(a.token, undefined)).toBe(false);
    expect(sut.csrfValid(a.token, '')).toBe(false);
  });
});

describe('the session cookie', () => {
  it('is HttpOnly and SameSite=Strict on every path, Secure over https', () => {
    const expires = new Date('2030-01-01T00:00:00Z');
    expect(sessionCookie('t.m', expires, false)).toBe(
      'psp_console=t.m; Path=/; HttpOnly; SameSite=Strict; Expires=Tue, 01 Jan 2030 00:00:00 GMT',
    );
    expect(sessionCookie('t.m', expires, true)).toMatch(/; Secure$/);
    expect(clearedSessionCookie(false)).toContain('Max-Age=0');
  });

  it('is found among other cookies, and only by its exact name', () => {
    expect(sessionTokenOf('a=1; psp_console=abc.def; b=2')).toBe('abc.def');
    expect(sessionTokenOf('xpsp_console=abc')).toBeUndefined();
    expect(sessionTokenOf(undefined)).toBeUndefined();
  });
});
