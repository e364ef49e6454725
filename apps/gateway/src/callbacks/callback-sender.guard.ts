import type { TLSSocket } from 'node:tls';
import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  Logger,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/domain';
import { SenderPolicy } from './sender-policy';

/** Applies the configured sender checks to every MobilePay callback before its body is touched. */
@Injectable()
export class CallbackSenderGuard implements CanActivate {
  private readonly logger = new Logger(CallbackSenderGuard.name);
  private readonly policy: SenderPolicy;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.policy = new SenderPolicy({
      ...config.callbackSenders,
      trustedProxies: config.gateway.trustedProxies,
    });
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const socket = request.raw.socket as Partial<TLSSocket>;
    const peer =
      typeof socket.getPeerCertificate === 'function' && socket.authorized
        ? socket.getPeerCertificate()
        : undefined;
    const reason = this.policy.reject({
      ip: request.ip,
      peerIp: request.raw.socket.remoteAddress ?? '',
      peerCommonName: typeof peer?.subject?.CN === 'string' ? peer.subject.CN : undefined,
      headers: request.headers,
    });
    if (reason) {
      this.logger.warn({ reason, path: request.url }, 'callback sender refused');
      throw new DomainError(
        ErrorCode.SenderNotAllowed,
        'sender is not allowed to call this endpoint',
      );
    }
    return true;
  }
}
