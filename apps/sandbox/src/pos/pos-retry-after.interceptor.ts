import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { catchError, type Observable, throwError } from 'rxjs';
import { PosThrottledError } from './pos-sim-errors';

/** Throttled calls leave with `Retry-After`; the sandbox's one exception filter renders the body. */
@Injectable()
export class PosRetryAfterInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (error instanceof PosThrottledError) {
          void context
            .switchToHttp()
            .getResponse<FastifyReply>()
            .header('retry-after', String(error.retryAfterS));
        }
        return throwError(() => error);
      }),
    );
  }
}
