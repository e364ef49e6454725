import type { Provider } from '@nestjs/common';
import { ConsoleAssets } from '../console/console-assets';
import { ConsoleController } from '../console/console.controller';
import { ConsoleService } from '../console/console.service';
import { AckLatencyWindow } from '../observability/ack-latency-window';
import { QueueDepthHistory } from '../observability/queue-depth-history';
import { AdminPaymentsController } from './admin-payments.controller';
import { AdminPaymentsService } from './admin-payments.service';
import { AttentionController } from './attention.controller';
import { AttentionService } from './attention.service';
import { MerchantDirectoryController } from './merchant-directory.controller';
import { MerchantDirectoryService } from './merchant-directory.service';
import { OverviewController } from './overview.controller';
import { OverviewService } from './overview.service';

/** The operators' side: admin read endpoints and the console that shows them. */
export const BACK_OFFICE_CONTROLLERS = [
  AdminPaymentsController,
  AttentionController,
  OverviewController,
  MerchantDirectoryController,
  ConsoleController,
];

export const BACK_OFFICE_PROVIDERS: Provider[] = [
  AdminPaymentsService,
  AttentionService,
  OverviewService,
  MerchantDirectoryService,
  ConsoleService,
  QueueDepthHistory,
  { provide: ConsoleAssets, useFactory: () => new ConsoleAssets() },
  { provide: AckLatencyWindow, useValue: new AckLatencyWindow() },
];
