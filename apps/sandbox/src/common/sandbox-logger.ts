import type { LoggerService } from '@nestjs/common';
import pino, { type Logger, type LevelWithSilent } from 'pino';

/** Card data never reaches a log line; these paths are belt and braces for structured logs. */
const REDACT = [
  '*.EncryptedCardData',
  '*.cardNumber',
  '*.number',
  '*.token',
  '*.cryptogram',
  '*.publicKeyPem',
  'card',
  '*.card',
];

export function createSandboxLogger(level: LevelWithSilent): Logger {
  return pino({ name: 'sandbox', level, redact: { paths: REDACT, censor: '[redacted]' } });
}

/** Routes Nest's own logging through pino so the sandbox writes one JSON log stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }

  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }

  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }

  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }

  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
