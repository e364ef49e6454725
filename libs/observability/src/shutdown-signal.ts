import { Logger } from '@nestjs/common';
import { stopTelemetry } from './telemetry';

/**
 * Runs `steps` once on the first SIGTERM or SIGINT, then flushes telemetry and exits: 0 when the
 * steps finished, 1 (logged) when they failed. Each process supplies its own drain order.
 */
export function onShutdownSignal(
  steps: (signal: NodeJS.Signals, logger: Logger) => Promise<void>,
): void {
  const logger = new Logger('Shutdown');
  let started = false;
  const run = async (signal: NodeJS.Signals): Promise<void> => {
    if (started) return;
    started = true;
    try {
      await steps(signal, logger);
      await stopTelemetry();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, (received: NodeJS.Signals) => void run(received));
  }
}
