import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadSandboxConfig, type SandboxConfig } from '@app/config';
import { Iso8583SimulatorModule } from './acquirers/iso8583/iso8583-simulator.module';
import { Iso8583SimulatorServer } from './acquirers/iso8583/iso8583-simulator.server';
import { registerFormParser } from './common/form-body.parser';
import { registerJsonParser } from './common/json-body.parser';
import { SandboxExceptionFilter } from './common/sandbox-exception.filter';
import { createSandboxLogger, PinoNestLogger } from './common/sandbox-logger';
import { SandboxModule } from './sandbox.module';

export interface RunningSandbox {
  url: string;
  config: SandboxConfig;
  app: NestFastifyApplication;
  /** The ISO 8583 acquirer simulator's TCP endpoint (length-prefixed frames). */
  iso8583: { host: string; port: number };
  close(): Promise<void>;
}

export interface StartOptions {
  /** Environment to read the configuration from (default: the process environment). */
  env?: NodeJS.ProcessEnv;
  /** Close on SIGTERM/SIGINT; only for the standalone process. */
  shutdownHooks?: boolean;
}

/** Boots the sandbox on a real socket; usable from `main.ts` and in-process from tests. */
export async function startSandbox(options: StartOptions = {}): Promise<RunningSandbox> {
  const config = options.env ? loadSandboxConfig(options.env) : loadSandboxConfig();
  const logger = createSandboxLogger(config.logLevel);
  const sandbox = SandboxModule.forRoot(config);
  // The ISO 8583 host's TCP server listens and closes with the app (lifecycle hooks).
  const iso8583 = Iso8583SimulatorModule.forRoot({ host: config.host, port: config.iso8583.port });
  const app = await NestFactory.create<NestFastifyApplication>(
    { ...sandbox, imports: [...(sandbox.imports ?? []), iso8583] },
    new FastifyAdapter({ bodyLimit: config.bodyLimitBytes }),
    { logger: new PinoNestLogger(logger), bodyParser: false },
  );
  registerJsonParser(app.getHttpAdapter().getInstance());
  registerFormParser(app.getHttpAdapter().getInstance());
  app.useGlobalFilters(new SandboxExceptionFilter());
  if (options.shutdownHooks) app.enableShutdownHooks();
  await app.listen({ port: config.port, host: config.host });
  const { port } = app.getHttpServer().address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    config,
    app,
    iso8583: app.get(Iso8583SimulatorServer).address(),
    close: () => app.close(),
  };
}
