import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AcquirersModule } from '@app/acquirers';
import { ConfigModule } from '@app/config';
import { CryptoModule } from '@app/crypto';
import { MobilePayModule } from '@app/mobilepay';
import { LoggerModule, MetricsModule } from '@app/observability';
import { PersistenceModule } from '@app/persistence';
import { QueueModule } from '@app/queue';
import { AdminJobsController } from './admin/admin-jobs.controller';
import { BACK_OFFICE_CONTROLLERS, BACK_OFFICE_PROVIDERS } from './admin/back-office';
import { CallbacksController } from './callbacks/callbacks.controller';
import { AttemptIntakeService } from './callbacks/attempt-intake.service';
import { CallbackSenderGuard } from './callbacks/callback-sender.guard';
import { CardCallbackService } from './callbacks/card-callback.service';
import { PaymentCallbackService } from './callbacks/payment-callback.service';
import { TokenCallbackService } from './callbacks/token-callback.service';
import { DomainExceptionFilter } from './common/domain-exception.filter';
import { MERCHANT_API_CONTROLLERS, MERCHANT_API_PROVIDERS } from './merchant-api';
import { HealthController } from './health/health.controller';
import { MetricsController } from './observability/metrics.controller';
import { ShutdownState } from './health/shutdown-state';
import { AdminAuthGuard, MerchantAuthGuard } from './merchants/auth.guard';
import { InvalidationController } from './payments/invalidation.controller';
import { InvalidationService } from './payments/invalidation.service';
import { POS_GATEWAY_CONTROLLERS, POS_GATEWAY_PROVIDERS } from './pos/pos-gateway';
import { ThreeDsController } from './three-ds/three-ds.controller';
import { ThreeDsService } from './three-ds/three-ds.service';

import { EpaymentModule } from '@app/epayment';
import {
  EPAYMENT_GATEWAY_CONTROLLERS,
  EPAYMENT_GATEWAY_PROVIDERS,
} from './epayment/epayment-gateway';
@Module({
  imports: [
    ConfigModule,
    LoggerModule,
    MetricsModule,
    PersistenceModule,
    CryptoModule,
    MobilePayModule,
    EpaymentModule,
    AcquirersModule,
    QueueModule.register('producer'),
  ],
  controllers: [
    CallbacksController,
    ...MERCHANT_API_CONTROLLERS,
    HealthController,
    MetricsController,
    AdminJobsController,
    ThreeDsController,
    InvalidationController,
    ...POS_GATEWAY_CONTROLLERS,
    ...EPAYMENT_GATEWAY_CONTROLLERS,
    ...BACK_OFFICE_CONTROLLERS,
  ],
  providers: [
    { provide: APP_FILTER, useClass: DomainExceptionFilter },
    AttemptIntakeService,
    CallbackSenderGuard,
    CardCallbackService,
    TokenCallbackService,
    PaymentCallbackService,
    ...MERCHANT_API_PROVIDERS,
    ThreeDsService,
    InvalidationService,
    MerchantAuthGuard,
    AdminAuthGuard,
    ShutdownState,
    ...POS_GATEWAY_PROVIDERS,
    ...EPAYMENT_GATEWAY_PROVIDERS,
    ...BACK_OFFICE_PROVIDERS,
  ],
})
export class GatewayModule {}
