import './telemetry';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadAppConfig } from '@app/config';
import { shutDownGracefully } from './lifecycle/graceful-shutdown';
import { WorkerModule } from './worker.module';

/** No HTTP API: an application context with BullMQ workers, plus a tiny health server. */
async function bootstrap(): Promise<void> {
  loadAppConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.init();
  // SIGTERM: readiness off, the BullMQ workers finish their active jobs, then connections close.
  shutDownGracefully(app);
  app.get(Logger).log('worker started');
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
