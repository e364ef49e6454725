import type { ExecutionContext } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { Secret } from '@app/config';
import { DomainError } from '@app/domain';
import { ConsoleSessions } from '../console/console-session';
import { AdminAuthGuard } from './auth.guard';

const KEY = 'admin-key-0123456789abcdefghij';

function contextOf(method: string, headers: Record<string, string>): ExecutionContext {
  return {
    switchToHttp: () => ({ getRequest: () => ({ method, headers }) }),
  } as unknown as ExecutionContext;
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a domain error';
  }
}

describe('AdminAuthGuard', () => {
  const sut = new AdminAuthGuard({ adminApiKey: new Secret(KEY) } as unknown as AppConfig);
  const session = new ConsoleSessions(KEY).open();
  const cookie = `psp_console=${session.token}`;

  it('accepts the bearer admin key and refuses another', () => {
    expect(sut.canActivate(contextOf('POST', { authorization: `Bearer ${KEY}` }))).toBe(true);
    expect(codeOf(() => sut.canActivate(contextOf('GET', { authorization: 'Bearer nope' })))).toBe(
      'unauthenticated',
    );
  });

  it('accepts a console session for reads, and for writes only with its CSRF token', () => {
    expect(sut.canActivate(contextOf('GET', { cookie }))).toBe(true);
    expect(codeOf(() => sut.canActivate(contextOf('POST', { cookie })))).toBe('csrf_failed');
    expect(
      codeOf(() => sut.canActivate(contextOf('DELETE', { cookie, 'x-csrf-token': 'forged' }))),
    ).toBe('csrf_failed');
    expect(sut.canActivate(contextOf('POST', { cookie, 'x-csrf-token': session.csrf }))).toBe(true);
  });

  it('refuses a session of another admin key, and no credential at all', () => {
    const other = new ConsoleSessions('another-admin-key-0123456789').open();
    expect(
      codeOf(() => sut.canActivate(contextOf('GET', { cookie: `psp_console=${other.token}` }))),
    ).toBe('unauthenticated');
    expect(codeOf(() => sut.canActivate(contextOf('GET', {})))).toBe('unauthenticated');
  });

  it('refuses everything when no admin key is configured', () => {
    const off = new AdminAuthGuard({ adminApiKey: undefined } as unknown as AppConfig);
    expect(
      codeOf(() => off.canActivate(contextOf('GET', { authorization: `Bearer ${KEY}` }))),
    ).toBe('unauthenticated');
  });
});
