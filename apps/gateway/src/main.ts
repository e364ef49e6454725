import './telemetry';
import { readFileSync } from 'node:fs';
import type { ServerOptions } from 'node:https';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig, loadAppConfig } from '@app/config';
import { correlationIdOf, PspMetrics } from '@app/observability';
import { mountQueueDashboard } from './admin/queue-dashboard';
import { GatewayModule } from './gateway.module';
import { shutDownGracefully } from './lifecycle/graceful-shutdown';
import { AckLatencyWindow } from './observability/ack-latency-window';
import { observeCallbacks } from './observability/callback-observer';
import { observeHttp } from './observability/http-observer';

async function bootstrap(): Promise<void> {
  // Validate before anything starts: a bad environment fails here, with every problem listed.
  const bootConfig = loadAppConfig();
  const app = await NestFactory.create<NestFastifyApplication>(
    GatewayModule,
    new FastifyAdapter({
      ...httpsOption(bootConfig),
      bodyLimit: bootConfig.gateway.callbackBodyLimitBytes,
      genReqId: correlationIdOf,
      // X-Forwarded-For is believed only from these proxies (the ingress), never from anyone.
      trustProxy:
        bootConfig.gateway.trustedProxies.length > 0 ? bootConfig.gateway.trustedProxies : false,
    }),
    // rawBody: the ePayment card callback's signature covers the exact bytes received.
    { bufferLogs: true, rawBody: true },
  );
  app.useLogger(app.get(Logger));
  const config = app.get<AppConfig>(APP_CONFIG);
  // Before any route exists, so every callback is counted, including refused ones.
  observeCallbacks(
    app.getHttpAdapter().getInstance(),
    app.get(PspMetrics),
    app.get(AckLatencyWindow),
  );
  observeHttp(app.getHttpAdapter().getInstance(), app.get(PspMetrics));
  await mountQueueDashboard(app);
  // SIGTERM: readiness off, drain delay, close the listener (in-flight requests finish), then the rest.
  shutDownGracefully(app, config.shutdownDrainMs);
  await app.listen(config.gateway.port, config.gateway.host);
  app.get(Logger).log(`gateway listening on ${config.gateway.host}:${config.gateway.port}`);
  if (config.callbackSenders.checks.length === 0) {
    // Every boot, so an open callback endpoint never goes unnoticed (production refuses to start
    // like this unless CALLBACK_SENDER_CHECK_DISABLED=true says so).
    app
      .get(Logger)
      .warn(
        'MobilePay callbacks accept any sender: no CALLBACK_ALLOWED_CIDRS and no verified ' +
          'client-certificate Common Name are configured',
      );
  }
}

/**
 * TLS terminated here (optional): MobilePay's client certificate is requested and verified
 * against the configured CA, so the callback guard can check its Common Name.
 */
function httpsOption(config: AppConfig): { https?: ServerOptions } {
  const tls = config.gateway.tls;
  if (!tls) return {};
  const https: ServerOptions = {
    cert: readFileSync(tls.certFile),
    key: readFileSync(tls.keyFile!),
  };
  if (tls.clientCaFile)
    Object.assign(https, {
      ca: readFileSync(tls.clientCaFile),
      requestCert: true,
      rejectUnauthorized: false,
    });
  return { https };
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
