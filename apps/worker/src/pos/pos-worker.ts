import type { Provider } from '@nestjs/common';
import { POS_REPOSITORIES } from '@app/persistence';
import { POS_CLIENT_PROVIDER } from '@app/pos';
import { PosSettlementService } from '@app/pos/flows';
import { PosJanitorService } from './pos-janitor.service';
import { PosPollingService } from './pos-polling.service';

/** The worker's share of the in-store channel (the processor is registered with the others). */
export const POS_WORKER_PROVIDERS: Provider[] = [
  POS_CLIENT_PROVIDER,
  ...POS_REPOSITORIES,
  PosSettlementService,
  PosPollingService,
  PosJanitorService,
];
