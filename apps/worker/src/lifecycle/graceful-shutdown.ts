import type { INestApplicationContext } from '@nestjs/common';
import { onShutdownSignal } from '@app/observability';
import { HealthServer } from '../health/health.server';
import { PROCESSORS } from '../worker.module';

/**
 * SIGTERM/SIGINT, in an order Nest's own shutdown hooks do not guarantee: readiness off, the
 * BullMQ workers stop taking jobs and finish the active ones (worker.close() waits), and only
 * then Postgres, Redis and telemetry are closed. A job never loses its database mid-way.
 */
export function shutDownGracefully(app: INestApplicationContext): void {
  onShutdownSignal(async (signal, logger) => {
    logger.log(`${signal}: readiness off, finishing active jobs`);
    app.get(HealthServer).startDraining();
    await Promise.all(PROCESSORS.map((processor) => app.get(processor).worker.close()));
    logger.log('workers closed; closing connections');
    await app.close();
  });
}
