import type { Provider, Type } from '@nestjs/common';
import { PosApiGuard } from './pos-api.guard';
import { PosPaymentsController } from './pos-payments.controller';
import { PosPointsOfSaleController } from './pos-points-of-sale.controller';
import { PosRefundsController } from './pos-refunds.controller';
import { PosRetryAfterInterceptor } from './pos-retry-after.interceptor';
import { PosSandboxController } from './pos-sandbox.controller';
import { PosSimAuthService } from './pos-sim-auth.service';
import { PosSimFaultsService } from './pos-sim-faults.service';
import { PosSimNotificationsService } from './pos-sim-notifications.service';
import { PosSimPaymentsService } from './pos-sim-payments.service';
import { PosSimPointsOfSaleService } from './pos-sim-points-of-sale.service';
import { PosSimRefundsService } from './pos-sim-refunds.service';
import { PosSimStore } from './pos-sim.store';
import { PosSimThrottleService } from './pos-sim-throttle.service';
import { PosTokenController } from './pos-token.controller';
import { PosUserSimulationController } from './pos-user-simulation.controller';

/** MobilePay PoS v10 simulator: Integrator Authentication, the PoS API, User Simulation. */
export const POS_SIMULATOR_CONTROLLERS: Type[] = [
  PosTokenController,
  PosPointsOfSaleController,
  PosPaymentsController,
  PosRefundsController,
  PosUserSimulationController,
  PosSandboxController,
];

export const POS_SIMULATOR_PROVIDERS: Provider[] = [
  PosSimStore,
  PosSimAuthService,
  PosApiGuard,
  PosRetryAfterInterceptor,
  PosSimFaultsService,
  PosSimThrottleService,
  PosSimPointsOfSaleService,
  PosSimPaymentsService,
  PosSimRefundsService,
  PosSimNotificationsService,
];
