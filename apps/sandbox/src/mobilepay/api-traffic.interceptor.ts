import { setTimeout as sleep } from 'node:timers/promises';
import {
  type CallHandler,
  type ExecutionContext,
  HttpException,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { defer, mergeMap, type Observable, tap } from 'rxjs';
import { SandboxError } from '../common/sandbox-error';
import { EventLogStore } from '../inspection/event-log.store';
import { FaultsStore } from '../inspection/faults.store';

/**
 * Wraps every PSP → MobilePay API call: applies injected faults (latency, 503s, dropped answers)
 * and records the exchange so tests can assert on what the PSP actually sent.
 */
@Injectable()
export class ApiTrafficInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly faults: FaultsStore,
    private readonly events: EventLogStore,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const receivedAt = new Date().toISOString();
    const okStatus =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? 200;
    const record = (status: number | null, result?: unknown, error?: string): void =>
      this.events.record({
        direction: 'psp->mobilepay',
        receivedAt,
        method: request.method,
        path: request.url,
        status,
        paymentId: paymentIdOf(request, result),
        ...(error ? { error } : {}),
        ...(request.body === undefined ? {} : { body: request.body }),
      });

    return defer(async () => {
      const { apiLatencyMs } = this.faults.current();
      if (apiLatencyMs > 0) await sleep(apiLatencyMs);
      if (this.faults.takeFailure()) {
        throw new SandboxError(503, '503', 'Service unavailable (injected fault)');
      }
    }).pipe(
      mergeMap(() => next.handle()),
      mergeMap(async (result: unknown) => {
        const { patchAnswerDelayMs } = this.faults.current();
        if (patchAnswerDelayMs > 0 && isAttemptPatch(request)) await sleep(patchAnswerDelayMs);
        return result;
      }),
      tap({
        next: (result: unknown) => {
          if (this.faults.takeDrop()) {
            record(null, result, 'response dropped (injected fault)');
            // The call took effect; the PSP just never hears about it.
            reply.raw.socket?.destroy();
            return;
          }
          record(okStatus, result);
        },
        error: (error: unknown) => record(statusOf(error), undefined, (error as Error).message),
      }),
    );
  }
}

function isAttemptPatch(request: FastifyRequest): boolean {
  return request.method === 'PATCH' && /\/authorizationattempts\//i.test(request.url);
}

function statusOf(error: unknown): number {
  if (error instanceof SandboxError) return error.status;
  if (error instanceof HttpException) return error.getStatus();
  return 500;
}

function paymentIdOf(request: FastifyRequest, result: unknown): string | undefined {
  const params = request.params as Record<string, string | undefined> | undefined;
  if (params?.paymentId) return params.paymentId;
  const fromResult = (result as { paymentId?: unknown } | undefined)?.paymentId;
  return typeof fromResult === 'string' ? fromResult : undefined;
}
