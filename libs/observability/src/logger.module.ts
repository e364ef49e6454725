import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { createLogger, type LoggerSettings } from './logger';

const CORRELATION_HEADERS = ['correlationid', 'x-correlation-id', 'x-request-id'];

/** Correlation id: MobilePay's CorrelationId header when present, else a fresh one. */
export function correlationIdOf(req: { headers: IncomingMessage['headers'] }): string {
  for (const header of CORRELATION_HEADERS) {
    const value = req.headers[header];
    if (typeof value === 'string' && /^[\w.-]{1,100}$/.test(value)) return value;
  }
  return randomUUID();
}

/**
 * Request logging without bodies: method, path (no query string: callback secrets may ride in
 * it), status, latency and the correlation id. Probes are not logged.
 */
export function accessLogOptions(
  settings: LoggerSettings,
  destination?: Parameters<typeof createLogger>[1],
): PinoHttpOptions {
  return {
    logger: createLogger(settings, destination),
    genReqId: (req: IncomingMessage) => correlationIdOf(req),
    customProps: (req: IncomingMessage) => ({ correlationId: req.id }),
    // originalUrl: the middleware layer may have cut the URL down to its own mount path.
    autoLogging: { ignore: (req: IncomingMessage) => pathOf(req).startsWith('/health') },
    serializers: {
      req: (req: { id: string; method: string; url: string; raw?: IncomingMessage }) => ({
        id: req.id,
        method: req.method,
        url: req.raw ? pathOf(req.raw) : req.url.split('?')[0],
      }),
      res: (res: { statusCode: number | null }) => ({ statusCode: res.statusCode }),
    },
  };
}

function pathOf(req: IncomingMessage & { originalUrl?: string }): string {
  return (req.originalUrl ?? req.url ?? '').split('?')[0];
}

export const LoggerModule = PinoLoggerModule.forRootAsync({
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => ({
    pinoHttp: accessLogOptions({ level: config.logLevel, service: config.serviceName }),
  }),
});
