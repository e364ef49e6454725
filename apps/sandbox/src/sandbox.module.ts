import { type DynamicModule, Module } from '@nestjs/common';
import type { SandboxConfig } from '@app/config';
import { AcquirerController } from './acquirers/acquirer.controller';
import { AcquirerThreeDsController } from './acquirers/acquirer-three-ds.controller';
import { AcquirerService } from './acquirers/acquirer.service';
import { AcquirerStore } from './acquirers/acquirer.store';
import { ClearhausSimulatorController } from './acquirers/clearhaus/clearhaus-simulator.controller';
import { ClearhausSimulatorService } from './acquirers/clearhaus/clearhaus-simulator.service';
import { ClearhausSimulatorStore } from './acquirers/clearhaus/clearhaus-simulator.store';
import { SchedulerService } from './common/scheduler.service';
import { EpaymentCallbacksService } from './epayment/epayment-callbacks.service';
import { EpaymentSimController } from './epayment/epayment-sim.controller';
import { EpaymentSimService } from './epayment/epayment-sim.service';
import { EpaymentSimStore } from './epayment/epayment-sim.store';
import { EpaymentWebhooksService } from './epayment/epayment-webhooks.service';
import { HealthController } from './health/health.controller';
import { EventLogStore } from './inspection/event-log.store';
import { FaultsStore } from './inspection/faults.store';
import { InspectionController } from './inspection/inspection.controller';
import { InspectionService } from './inspection/inspection.service';
import { ApiAuthGuard } from './mobilepay/api-auth.guard';
import { ApiTrafficInterceptor } from './mobilepay/api-traffic.interceptor';
import { AuthorizationAttemptsService } from './mobilepay/authorization-attempts.service';
import { AuthorizationCallbacksService } from './mobilepay/authorization-callbacks.service';
import { CallbackDeliveryService } from './mobilepay/callback-delivery.service';
import { LandingController } from './mobilepay/landing.controller';
import { MerchantsController } from './mobilepay/merchants.controller';
import { MerchantsService } from './mobilepay/merchants.service';
import { MerchantsStore } from './mobilepay/merchants.store';
import { NetworkTokenVaultStore } from './mobilepay/network-token-vault.store';
import { OpenApiValidatorService } from './mobilepay/openapi/openapi-validator.service';
import { PaymentLifecycleService } from './mobilepay/payment-lifecycle.service';
import { PaymentOperationsService } from './mobilepay/payment-operations.service';
import { PaymentsController } from './mobilepay/payments.controller';
import { PaymentsService } from './mobilepay/payments.service';
import { PaymentsStore } from './mobilepay/payments.store';
import { PublicKeysController } from './mobilepay/public-keys.controller';
import { PublicKeysStore } from './mobilepay/public-keys.store';
import { SimulationController } from './mobilepay/simulation.controller';
import { SwipeService } from './mobilepay/swipe.service';
import { ThreeDsController } from './mobilepay/three-ds.controller';
import { ThreeDsWebviewService } from './mobilepay/three-ds-webview.service';
import { UserActionsController } from './mobilepay/user-actions.controller';
import { POS_SIMULATOR_CONTROLLERS, POS_SIMULATOR_PROVIDERS } from './pos/pos-simulator';
import { SANDBOX_CONFIG } from './sandbox.tokens';
import { ThreeDsIoSimulatorController } from './three-ds-server/three-ds-io-simulator.controller';
import { ThreeDsIoSimulatorService } from './three-ds-server/three-ds-io-simulator.service';

/** All simulators in one process; the config is passed in so tests can run several side by side. */
@Module({})
export class SandboxModule {
  static forRoot(config: SandboxConfig): DynamicModule {
    return {
      module: SandboxModule,
      controllers: [
        HealthController,
        MerchantsController,
        PaymentsController,
        SimulationController,
        UserActionsController,
        ThreeDsController,
        PublicKeysController,
        LandingController,
        InspectionController,
        AcquirerController,
        AcquirerThreeDsController,
        ClearhausSimulatorController,
        ThreeDsIoSimulatorController,
        ...POS_SIMULATOR_CONTROLLERS,
        EpaymentSimController,
      ],
      providers: [
        { provide: SANDBOX_CONFIG, useValue: config },
        SchedulerService,
        EventLogStore,
        FaultsStore,
        OpenApiValidatorService,
        ApiAuthGuard,
        ApiTrafficInterceptor,
        MerchantsStore,
        MerchantsService,
        PublicKeysStore,
        PaymentsStore,
        CallbackDeliveryService,
        PaymentLifecycleService,
        PaymentsService,
        AuthorizationAttemptsService,
        PaymentOperationsService,
        NetworkTokenVaultStore,
        AuthorizationCallbacksService,
        SwipeService,
        ThreeDsWebviewService,
        InspectionService,
        AcquirerStore,
        AcquirerService,
        ClearhausSimulatorStore,
        ClearhausSimulatorService,
        ThreeDsIoSimulatorService,
        ...POS_SIMULATOR_PROVIDERS,
        EpaymentSimStore,
        EpaymentWebhooksService,
        EpaymentSimService,
        EpaymentCallbacksService,
      ],
    };
  }
}
