import { timingSafeEqual } from 'node:crypto';
import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Inject,
  Injectable,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { SandboxConfig } from '@app/config';
import { SandboxError } from '../common/sandbox-error';
import { headerValue } from '../common/sandbox-exception.filter';
import { SANDBOX_CONFIG } from '../sandbox.tokens';

/** MobilePay's API gateway: `x-ibm-client-id` / `x-ibm-client-secret` must name a known client. */
@Injectable()
export class ApiAuthGuard implements CanActivate {
  constructor(@Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const { headers } = context.switchToHttp().getRequest<FastifyRequest>();
    const clientId = headerValue(headers['x-ibm-client-id']);
    const secret = headerValue(headers['x-ibm-client-secret']);
    const expected = clientId === undefined ? undefined : this.config.clients.get(clientId);
    if (expected === undefined || secret === undefined || !sameSecret(secret, expected)) {
      throw new SandboxError(
        401,
        '401',
        'Invalid or missing x-ibm-client-id / x-ibm-client-secret',
      );
    }
    return true;
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The authenticated API client (the PSP); only valid behind `ApiAuthGuard`. */
export const ClientId = createParamDecorator(
  (_: unknown, context: ExecutionContext): string =>
    headerValue(context.switchToHttp().getRequest<FastifyRequest>().headers['x-ibm-client-id']) ??
    '',
);
