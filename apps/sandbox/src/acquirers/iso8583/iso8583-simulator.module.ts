import { type DynamicModule, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { NetworkTokenVaultStore } from '../../mobilepay/network-token-vault.store';
import { Iso8583SimulatorController } from './iso8583-simulator.controller';
import {
  ISO8583_SIMULATOR_OPTIONS,
  type Iso8583SimulatorOptions,
  Iso8583SimulatorServer,
} from './iso8583-simulator.server';
import { DETOKENIZE, type Detokenize, Iso8583SimulatorService } from './iso8583-simulator.service';
import { Iso8583SimulatorStore } from './iso8583-simulator.store';

/** The Nets-style ISO 8583 acquirer host: a TCP server that starts and stops with the sandbox. */
@Module({})
export class Iso8583SimulatorModule {
  static forRoot(options: Iso8583SimulatorOptions): DynamicModule {
    return {
      module: Iso8583SimulatorModule,
      controllers: [Iso8583SimulatorController],
      providers: [
        { provide: ISO8583_SIMULATOR_OPTIONS, useValue: options },
        {
          // The token vault lives in SandboxModule; looked up lazily so it need not export it.
          provide: DETOKENIZE,
          inject: [ModuleRef],
          useFactory:
            (modules: ModuleRef): Detokenize =>
            (token) =>
              modules.get(NetworkTokenVaultStore, { strict: false }).panOf(token),
        },
        Iso8583SimulatorStore,
        Iso8583SimulatorService,
        Iso8583SimulatorServer,
      ],
      exports: [Iso8583SimulatorServer, Iso8583SimulatorStore],
    };
  }
}
