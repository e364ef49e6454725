import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { PspMetrics } from './psp-metrics';

/** One PspMetrics per process, for any provider to inject. */
@Global()
@Module({
  providers: [
    {
      provide: PspMetrics,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        PspMetrics.create({ ...config.metrics, serviceName: config.serviceName }),
    },
  ],
  exports: [PspMetrics],
})
export class MetricsModule {}
