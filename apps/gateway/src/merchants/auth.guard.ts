import { timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/domain';
import { ApiKeyRepository, type Merchant } from '@app/persistence';
import { ConsoleSessions, CSRF_HEADER, sessionTokenOf } from '../console/console-session';
import { secretMatches, splitApiKey } from './api-key';

export type AuthenticatedRequest = FastifyRequest & {
  merchant: Merchant;
  /** The key that made the call: in a rotation's grace period `revokedAt` is set (and ahead). */
  apiKey: { id: string; revokedAt: Date | null };
};

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return undefined;
  return header.slice(7).trim();
}

const unauthenticated = () =>
  new DomainError(ErrorCode.Unauthenticated, 'a valid API key is required');

/** Resolves `Authorization: Bearer <api key>` to the merchant it belongs to. */
@Injectable()
export class MerchantAuthGuard implements CanActivate {
  constructor(private readonly apiKeys: ApiKeyRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const parts = splitApiKey(bearer(request) ?? '');
    if (!parts) throw unauthenticated();
    const key = await this.apiKeys.findActiveByPrefix(parts.prefix);
    if (!key || !secretMatches(parts.secret, key.secretHash) || key.merchant.status !== 'ACTIVE') {
      throw unauthenticated();
    }
    request.merchant = key.merchant;
    request.apiKey = { id: key.id, revokedAt: key.revokedAt };
    return true;
  }
}

/**
 * The PSP's back office: one admin key from configuration; no key configured, no admin API. Either
 * `Authorization: Bearer <admin key>` (API clients), or the operator console's session cookie
 * (opened with the same key at /console/login) — then a state-changing request must also carry
 * the session's CSRF token in `X-CSRF-Token`.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly sessions?: ConsoleSessions;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const key = config.adminApiKey?.reveal();
    if (key) this.sessions = new ConsoleSessions(key);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const expected = this.config.adminApiKey?.reveal();
    if (!expected || !this.sessions) throw unauthenticated();
    const given = bearer(request);
    if (given !== undefined) {
      const a = Buffer.from(given);
      const b = Buffer.from(expected);
      if (a.length !== b.length || !timingSafeEqual(a, b)) throw unauthenticated();
      return true;
    }
    const session = sessionTokenOf(request.headers.cookie);
    if (!session || !this.sessions.valid(session)) throw unauthenticated();
    if (!SAFE_METHODS.has(request.method)) {
      const csrf = request.headers[CSRF_HEADER];
      if (!this.sessions.csrfValid(session, typeof csrf === 'string' ? csrf : undefined)) {
        throw new DomainError(ErrorCode.CsrfFailed, "the console's CSRF token is missing or wrong");
      }
    }
    return true;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
