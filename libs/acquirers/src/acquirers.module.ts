import { readFileSync } from 'node:fs';
import { Module, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { AcquirerAdapter } from './acquirer-adapter';
import { AcquirerRouter, parseRoutes } from './acquirer-router';
import { ClearhausAcquirerAdapter } from './clearhaus/clearhaus-acquirer.adapter';
import { Iso8583AcquirerAdapter } from './iso8583/iso8583-acquirer.adapter';
import { RestAcquirerAdapter } from './rest/rest-acquirer.adapter';
import { ThreeDsServerClient } from './three-ds/3dsecure-io/three-ds-server-client';
import { THREE_DS_SERVER, UnconfiguredThreeDsServer } from './three-ds/three-ds-server';

function adapters(config: AppConfig): Map<string, AcquirerAdapter> {
  const rest = new RestAcquirerAdapter({
    baseUrl: config.acquirer.url,
    timeoutMs: config.acquirer.timeoutMs,
    vatNumber: config.acquirer.vatNumber,
  });
  const nets = new Iso8583AcquirerAdapter(config.acquirer.iso8583);
  const all = new Map<string, AcquirerAdapter>([
    [rest.name, rest],
    [nets.name, nets],
  ]);
  const clearhaus = clearhausAdapter(config);
  if (clearhaus) all.set(clearhaus.name, clearhaus);
  return all;
}

/** Configured only with its keys (CLEARHAUS_*); a signing key that cannot be read stops the boot. */
function clearhausAdapter(config: AppConfig): ClearhausAcquirerAdapter | undefined {
  const settings = config.acquirer.clearhaus;
  if (!settings) return undefined;
  let signingKeyPem: string;
  try {
    signingKeyPem = readFileSync(settings.signingKeyFile, 'utf8');
  } catch (error) {
    throw new Error(
      `CLEARHAUS_SIGNING_KEY_FILE cannot be read: ${error instanceof Error ? error.message : 'unknown error'}`,
      { cause: error },
    );
  }
  return new ClearhausAcquirerAdapter({
    baseUrl: settings.url,
    apiKey: settings.apiKey.reveal(),
    signingApiKey: settings.signingApiKey,
    signingKeyPem,
    timeoutMs: settings.timeoutMs,
    lateAnswerMs: settings.lateAnswerMs,
  });
}

@Module({
  providers: [
    {
      provide: AcquirerRouter,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new AcquirerRouter(adapters(config), parseRoutes(config.acquirer.routes), config.tokens),
    },
    {
      provide: THREE_DS_SERVER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const server = config.threeDs.server;
        return server
          ? new ThreeDsServerClient({
              baseUrl: server.url,
              apiKey: server.apiKey.reveal(),
              timeoutMs: server.timeoutMs,
            })
          : new UnconfiguredThreeDsServer();
      },
    },
  ],
  exports: [AcquirerRouter, THREE_DS_SERVER],
})
export class AcquirersModule implements OnModuleDestroy {
  constructor(private readonly router: AcquirerRouter) {}

  /** Open acquirer connections end with the process; requests still waiting become unknown. */
  async onModuleDestroy(): Promise<void> {
    await this.router.close();
  }
}
