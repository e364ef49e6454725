import { randomUUID } from 'node:crypto';
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '@app/domain';
import { STATUS_BY_CODE } from './error-status';

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  correlationId: string;
  details?: Record<string, unknown>;
  errorId?: string;
}

/** Fastify's own client errors (bad JSON, body too large, wrong content type) by their code. */
const FASTIFY_CLIENT_ERRORS: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ErrorCode.PayloadTooLarge,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ErrorCode.ValidationFailed,
  FST_ERR_CTP_EMPTY_JSON_BODY: ErrorCode.ValidationFailed,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ErrorCode.ValidationFailed,
};

const CODE_BY_CLIENT_STATUS: Record<number, ErrorCode> = {
  401: ErrorCode.Unauthenticated,
  404: ErrorCode.NotFound,
  413: ErrorCode.PayloadTooLarge,
};

/**
 * Every error leaves as `{ code, message, correlationId }`. Domain errors carry their code; client
 * errors raised by the framework are mapped; anything else is a 500 with an errorId, logged once.
 */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const correlationId = String(request.id ?? randomUUID());
    const { status, body } = this.describe(exception, correlationId);
    void reply.status(status).header('content-type', 'application/json').send(body);
  }

  private describe(exception: unknown, correlationId: string): { status: number; body: ErrorBody } {
    if (exception instanceof DomainError) return domainErrorResponse(exception, correlationId);
    const fastifyCode = (exception as { code?: unknown }).code;
    if (typeof fastifyCode === 'string' && fastifyCode in FASTIFY_CLIENT_ERRORS) {
      const code = FASTIFY_CLIENT_ERRORS[fastifyCode];
      return {
        status: STATUS_BY_CODE[code],
        body: { code, message: clientMessage(exception), correlationId },
      };
    }
    if (isInfrastructureOutage(exception)) {
      this.logger.warn(
        { correlationId, error: (exception as Error).name },
        'dependency unavailable',
      );
      const code = ErrorCode.ServiceUnavailable;
      return {
        status: STATUS_BY_CODE[code],
        body: { code, message: 'temporarily unavailable, try again', correlationId },
      };
    }
    const status = statusOf(exception);
    if (status !== undefined && status >= 400 && status < 500) {
      const code = CODE_BY_CLIENT_STATUS[status] ?? ErrorCode.ValidationFailed;
      const message = status === 404 ? 'no such route' : clientMessage(exception);
      return { status, body: { code, message, correlationId } };
    }
    const errorId = randomUUID();
    this.logger.error({ err: exception, errorId, correlationId }, 'unhandled error');
    return {
      status: 500,
      body: { code: ErrorCode.Internal, message: 'internal error', correlationId, errorId },
    };
  }
}

/** The status and body a domain error leaves as (also stored for Idempotency-Key replays). */
export function domainErrorResponse(
  error: DomainError,
  correlationId: string,
): { status: number; body: ErrorBody } {
  const body: ErrorBody = { code: error.code, message: error.message, correlationId };
  if (error.details) body.details = error.details;
  return { status: STATUS_BY_CODE[error.code], body };
}

/** Database unreachable: the request may be retried later, so answer 503 rather than 500. */
function isInfrastructureOutage(exception: unknown): boolean {
  const name = (exception as { name?: unknown }).name;
  const code = (exception as { code?: unknown }).code;
  return (
    name === 'PrismaClientInitializationError' ||
    code === 'P1001' ||
    code === 'P1017' ||
    code === 'ECONNREFUSED' ||
    (name === 'DriverAdapterError' &&
      /connect|terminat/i.test(String((exception as Error).message)))
  );
}

function statusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  const statusCode = (exception as { statusCode?: unknown }).statusCode;
  return typeof statusCode === 'number' ? statusCode : undefined;
}

/** Framework messages can quote the request (e.g. a JSON parse error); keep only a safe summary. */
function clientMessage(exception: unknown): string {
  if (exception instanceof SyntaxError || (exception as { name?: string }).name === 'SyntaxError') {
    return 'body is not valid JSON';
  }
  const code = (exception as { code?: unknown }).code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || statusOf(exception) === 413)
    return 'body is too large';
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'content type must be application/json';
  return 'bad request';
}
