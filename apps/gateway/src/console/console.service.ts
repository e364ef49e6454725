import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/domain';
import { ConsoleAssets } from './console-assets';
import {
  clearedSessionCookie,
  ConsoleSessions,
  CSRF_HEADER,
  sessionCookie,
  sessionTokenOf,
} from './console-session';
import { loginPage } from './login-page';

/**
 * Script from this origin only, nothing framed, no referrer: the console shows payments, so it
 * is kept as closed as a page can be. Styles may be inline (the chart library sets them).
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** Login with the admin key, the session cookie, and the front end served to sessions only. */
@Injectable()
export class ConsoleService {
  private readonly sessions?: ConsoleSessions;
  private readonly adminKey?: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly assets: ConsoleAssets,
  ) {
    this.adminKey = config.adminApiKey?.reveal();
    if (this.adminKey) this.sessions = new ConsoleSessions(this.adminKey);
  }

  async loginForm(reply: FastifyReply): Promise<void> {
    if (!this.sessions) this.disabled();
    await this.html(reply, 200, loginPage());
  }

  async login(body: unknown, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!this.sessions || !this.adminKey) this.disabled();
    const key = body && typeof body === 'object' ? (body as { key?: unknown }).key : undefined;
    if (typeof key !== 'string' || !sameSecret(key, this.adminKey)) {
      return this.html(reply, 401, loginPage('That is not the admin key.'));
    }
    const session = this.sessions.open();
    await reply
      .code(303)
      .headers(SECURITY_HEADERS)
      .header('set-cookie', sessionCookie(session.token, session.expiresAt, secure(request)))
      .header('location', '/console')
      .send();
  }

  /** Needs the CSRF token, so another site cannot log an operator out either. */
  async logout(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const token = sessionTokenOf(request.headers.cookie);
    const csrf = request.headers[CSRF_HEADER];
    if (
      !this.sessions ||
      !token ||
      !this.sessions.csrfValid(token, typeof csrf === 'string' ? csrf : undefined)
    ) {
      throw new DomainError(ErrorCode.CsrfFailed, 'the CSRF token is missing or wrong');
    }
    await reply
      .code(204)
      .header('set-cookie', clearedSessionCookie(secure(request)))
      .send();
  }

  async shell(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!this.sessions) this.disabled();
    const token = sessionTokenOf(request.headers.cookie);
    if (!token || !this.sessions.valid(token)) {
      await reply.code(303).headers(SECURITY_HEADERS).header('location', '/console/login').send();
      return;
    }
    const shell = this.assets.shellFor(this.sessions.csrfFor(token));
    if (!shell) this.unbuilt();
    await this.html(reply, 200, shell);
  }

  async asset(name: string, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!this.sessions) this.disabled();
    if (!this.sessions.valid(sessionTokenOf(request.headers.cookie))) {
      throw new DomainError(ErrorCode.Unauthenticated, 'sign in at /console/login');
    }
    const asset = this.assets.asset(name);
    if (!asset) {
      throw new DomainError(ErrorCode.NotFound, 'no such console asset');
    }
    await reply
      .code(200)
      .headers({ ...SECURITY_HEADERS, 'cache-control': 'private, max-age=31536000, immutable' })
      .type(asset.type)
      .send(asset.body);
  }

  private async html(reply: FastifyReply, status: number, body: string): Promise<void> {
    await reply.code(status).headers(SECURITY_HEADERS).type('text/html; charset=utf-8').send(body);
  }

  private disabled(): never {
    throw new DomainError(ErrorCode.NotFound, 'the console is off: ADMIN_API_KEY is not set');
  }

  private unbuilt(): never {
    throw new DomainError(
      ErrorCode.ServiceUnavailable,
      'the console was not built (npm run build)',
    );
  }
}

function secure(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
