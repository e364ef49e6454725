import { Global, Module } from '@nestjs/common';
import { type AppConfig, loadAppConfig } from './app.config';

/** Injection token for the validated, typed configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');

@Global()
@Module({
  providers: [{ provide: APP_CONFIG, useFactory: (): AppConfig => loadAppConfig() }],
  exports: [APP_CONFIG],
})
export class ConfigModule {}
