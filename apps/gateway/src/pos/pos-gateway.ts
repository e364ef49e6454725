import type { Provider, Type } from '@nestjs/common';
import { POS_REPOSITORIES } from '@app/persistence';
import { POS_CLIENT_PROVIDER } from '@app/pos';
import { PosSettlementService } from '@app/pos/flows';
import { PosChannel } from './pos-channel';
import { PosNotificationsController } from './pos-notifications.controller';
import { PosPaymentsController } from './pos-payments.controller';
import { PosPaymentsService } from './pos-payments.service';
import { PosPointsOfSaleController } from './pos-points-of-sale.controller';
import { PosPointsOfSaleService } from './pos-points-of-sale.service';
import { PosRefundsController } from './pos-refunds.controller';
import { PosRefundsService } from './pos-refunds.service';

/**
 * The in-store channel's merchant API (/v1/pos): points of sale, payments, refunds, events; and
 * the endpoint of MobilePay's notification service.
 */
export const POS_GATEWAY_CONTROLLERS: Type[] = [
  PosPointsOfSaleController,
  PosPaymentsController,
  PosRefundsController,
  PosNotificationsController,
];

export const POS_GATEWAY_PROVIDERS: Provider[] = [
  POS_CLIENT_PROVIDER,
  ...POS_REPOSITORIES,
  PosChannel,
  PosSettlementService,
  PosPointsOfSaleService,
  PosPaymentsService,
  PosRefundsService,
];
