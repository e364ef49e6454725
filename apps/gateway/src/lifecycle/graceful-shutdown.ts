import { setTimeout as sleep } from 'node:timers/promises';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { onShutdownSignal } from '@app/observability';
import { ShutdownState } from '../health/shutdown-state';

/**
 * SIGTERM/SIGINT, in the order a load balancer needs: readiness turns false at once and the
 * gateway keeps serving for `drainMs` (endpoints and load balancers notice and stop sending);
 * then the listener closes — no new connections, requests on open ones answered 503 (MobilePay
 * retries), in-flight requests finish — and only then Postgres, Redis and telemetry close.
 * Nest's own hooks would disconnect Postgres before the HTTP server stops.
 */
export function shutDownGracefully(app: NestFastifyApplication, drainMs: number): void {
  onShutdownSignal(async (signal, logger) => {
    logger.log(`${signal}: readiness off, draining for ${drainMs} ms`);
    app.get(ShutdownState).startDraining();
    await sleep(drainMs);
    logger.log('closing the listener; finishing in-flight requests');
    await app.getHttpAdapter().close();
    await app.close();
  });
}
