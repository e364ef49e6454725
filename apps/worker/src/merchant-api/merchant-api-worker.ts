import type { Provider } from '@nestjs/common';
import { MerchantApiJanitorService } from './merchant-api-janitor.service';
import { OperationRecoveryService } from './operation-recovery.service';
import { OperationReportService } from './operation-report.service';
import { WebhookDeliveryService } from './webhook-delivery.service';

/** The worker's share of the merchant API: reports of operations, webhooks, their janitor. */
export const MERCHANT_API_WORKER_PROVIDERS: Provider[] = [
  OperationReportService,
  OperationRecoveryService,
  WebhookDeliveryService,
  MerchantApiJanitorService,
];
