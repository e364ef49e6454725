import { Module, type OnModuleInit } from '@nestjs/common';
import { AcquirersModule } from '@app/acquirers';
import { ConfigModule } from '@app/config';
import { CryptoModule } from '@app/crypto';
import { EpaymentModule } from '@app/epayment';
import { MobilePayModule } from '@app/mobilepay';
import { LoggerModule, MetricsModule } from '@app/observability';
import { PersistenceModule } from '@app/persistence';
import { QueueModule } from '@app/queue';
import { HealthServer } from './health/health.server';
import { WorkerTelemetry } from './observability/worker-telemetry.service';
import { AuthorizationProcessor } from './processors/authorization.processor';
import { ReportsProcessor } from './processors/reports.processor';
import { WebhooksProcessor } from './processors/webhooks.processor';
import { MERCHANT_API_WORKER_PROVIDERS } from './merchant-api/merchant-api-worker';
import { assertEveryJobHandled } from './processors/registry-check';
import { PosProcessor } from './pos/pos.processor';
import { POS_WORKER_PROVIDERS } from './pos/pos-worker';
import { AttemptPatchService } from './services/attempt-patch.service';
import { AuthorizeService } from './services/authorize.service';
import { JanitorService } from './services/janitor.service';
import { ReportDeliveryService } from './services/report-delivery.service';

export const PROCESSORS = [
  AuthorizationProcessor,
  ReportsProcessor,
  WebhooksProcessor,
  PosProcessor,
];

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
    QueueModule.register('worker'),
  ],
  providers: [
    ...PROCESSORS,
    ...MERCHANT_API_WORKER_PROVIDERS,
    ...POS_WORKER_PROVIDERS,
    AuthorizeService,
    AttemptPatchService,
    ReportDeliveryService,
    JanitorService,
    HealthServer,
    WorkerTelemetry,
  ],
})
export class WorkerModule implements OnModuleInit {
  onModuleInit(): void {
    assertEveryJobHandled(PROCESSORS.map((processor) => processor.handles));
  }
}
