import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { catchError, from, mergeMap, type Observable, of } from 'rxjs';
import { DomainError, ErrorCode, type ErrorCode as Code } from '@app/domain';
import { domainErrorResponse } from '../common/domain-exception.filter';
import type { AuthenticatedRequest } from '../merchants/auth.guard';
import { type IdempotencyContext, IdempotencyService } from './idempotency.service';

export type IdempotentRequest = AuthenticatedRequest & { idempotency?: IdempotencyContext };

/** Errors raised before anything ran: like Stripe, no result is stored for them. */
const NOT_STORED: ReadonlySet<Code> = new Set([
  ErrorCode.ValidationFailed,
  ErrorCode.Unauthenticated,
  ErrorCode.PayloadTooLarge,
  ErrorCode.IdempotencyKeyReused,
  ErrorCode.IdempotencyRequestInProgress,
]);

/**
 * `Idempotency-Key` on every POST of the API (/v1): the first response — success or a client
 * error of a request that ran — is stored and replayed (with `Idempotent-Replayed: true`). A 5xx
 * stores nothing, so a retry with the key runs again and resumes what the first one created.
 * Runs after the guards, so keys are scoped per merchant (or to the back office).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly idempotency: IdempotencyService) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<IdempotentRequest>();
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || !request.url.startsWith('/v1/') || key === undefined) {
      return next.handle();
    }
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const scope = request.merchant ? `merchant:${request.merchant.id}` : 'admin';
    const start = await this.idempotency.start(scope, key, {
      method: request.method,
      path: request.url,
      body: request.body,
    });
    if (start.kind === 'replay') {
      void reply.status(start.status).header('idempotent-replayed', 'true');
      return of(start.body);
    }
    const run = start.context;
    request.idempotency = run;
    return next.handle().pipe(
      mergeMap((body: unknown) =>
        from(this.idempotency.complete(run, reply.statusCode, body).then((): unknown => body)),
      ),
      catchError((error: unknown) => from(this.settleFailure(run, error, String(request.id)))),
    );
  }

  private async settleFailure(
    run: IdempotencyContext,
    error: unknown,
    correlationId: string,
  ): Promise<never> {
    try {
      const stored = error instanceof DomainError && !NOT_STORED.has(error.code);
      const response = stored ? domainErrorResponse(error, correlationId) : undefined;
      if (response && response.status < 500) {
        await this.idempotency.complete(run, response.status, response.body);
      } else {
        await this.idempotency.release(run);
      }
    } catch {
      // The request's own error is the answer; a key left locked is taken over after a minute.
    }
    throw error;
  }
}
