import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { MobilePayClient } from './mobilepay.client';

@Global()
@Module({
  providers: [
    {
      provide: MobilePayClient,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new MobilePayClient(config.mobilePay),
    },
  ],
  exports: [MobilePayClient],
})
export class MobilePayModule {}
