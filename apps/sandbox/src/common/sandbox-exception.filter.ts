import { randomUUID } from 'node:crypto';
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EpaymentProblem } from '../epayment/epayment-problem';
import { SandboxError } from './sandbox-error';

/** Renders errors the way MobilePay does (`{code, message, correlationId}`) on every route. */
@Catch()
export class SandboxExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('SandboxExceptionFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (error instanceof EpaymentProblem) {
      // The ePayment, access-token and Webhooks APIs answer RFC 7807 problems.
      if (error.retryAfterS) void reply.header('retry-after', String(error.retryAfterS));
      void reply
        .status(error.status)
        .header('content-type', 'application/problem+json')
        .send(JSON.stringify(error.body(request.url, randomUUID())));
      return;
    }
    const { status, body } = this.render(error);
    if (request.url.startsWith('/api/')) {
      body.correlationId = headerValue(request.headers.correlationid) ?? randomUUID();
    }
    void reply.status(status).send(body);
  }

  private render(error: unknown): { status: number; body: Record<string, unknown> } {
    if (error instanceof SandboxError) {
      return {
        status: error.status,
        body: { code: error.code, message: error.message, ...error.details },
      };
    }
    if (error instanceof HttpException) {
      return {
        status: error.getStatus(),
        body: { code: String(error.getStatus()), message: error.message },
      };
    }
    const clientError = clientErrorStatus(error);
    if (clientError) {
      // Fastify's own rejections (body too large, unsupported media type) before any handler ran.
      return {
        status: clientError,
        body: { code: String(clientError), message: (error as Error).message },
      };
    }
    const errorId = randomUUID();
    this.logger.error(
      `unhandled error ${errorId}`,
      error instanceof Error ? error.stack : String(error),
    );
    return { status: 500, body: { code: '500', message: 'internal sandbox error', errorId } };
  }
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function clientErrorStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
