import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, Secret } from '@app/config';
import { EpaymentClient } from './epayment.client';

/** The ePayment client from the configuration; with the channel off it points nowhere. */
@Global()
@Module({
  providers: [
    {
      provide: EpaymentClient,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const ep = config.epayment;
        return new EpaymentClient({
          apiUrl: ep?.apiUrl ?? 'http://127.0.0.1:9',
          clientId: ep?.clientId ?? '',
          clientSecret: ep?.clientSecret ?? new Secret(''),
          subscriptionKey: ep?.subscriptionKey ?? new Secret(''),
          pspId: ep?.pspId ?? '',
          system: {
            name: ep?.system.name ?? 'psp-gateway',
            version: ep?.system.version ?? '0',
            pluginName: 'card-passthrough',
            pluginVersion: ep?.system.version ?? '0',
          },
          timeoutMs: ep?.timeoutMs ?? 5000,
          retries: ep?.retries ?? 0,
          retryDelayMs: ep?.retryDelayMs ?? 1000,
          tokenRefreshMarginMs: ep?.tokenRefreshMarginMs ?? 60_000,
          writeLimit: { max: ep?.writeLimitPerMinute ?? 5, windowMs: 60_000 },
          maxRetryAfterMs: 60_000,
        });
      },
    },
  ],
  exports: [EpaymentClient],
})
export class EpaymentModule {}
