import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { createLogger } from './logger';

const CORRELATION_HEADERS = ['correlationid', 'x-correlation-id', 'x-request-id'];

/** Correlation id: MobilePay's CorrelationId header when present, else a fresh one. */
export function correlationIdOf(req: { headers: IncomingMessage['headers'] }): string {
  for (const header of CORRELATION_HEADERS) {
    const value = req.headers[header];
    if (typeof value === 'string' && /^[\w.-]{1,100}$/.test(value)) return value;
  }
  return randomUUID();
}

/** Request logging without bodies: method, route, status, latency and the correlation id. */
export const LoggerModule = PinoLoggerModule.forRootAsync({
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => ({
    pinoHttp: {
      logger: createLogger({ level: config.logLevel, service: config.serviceName }),
      genReqId: (req: IncomingMessage) => correlationIdOf(req),
      customProps: (req: IncomingMessage) => ({ correlationId: req.id }),
      autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  }),
});
