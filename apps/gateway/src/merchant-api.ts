import type { Provider, Type } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyService } from './idempotency/idempotency.service';
import { AdminMerchantsController } from './merchants/admin-merchants.controller';
import { ApiKeysController } from './merchants/api-keys.controller';
import { ApiKeysService } from './merchants/api-keys.service';
import { LogoVerifier } from './merchants/logo-verifier';
import { MerchantController } from './merchants/merchant.controller';
import { MerchantOnboardingService } from './merchants/merchant-onboarding.service';
import { MerchantProfileService } from './merchants/merchant-profile.service';
import { OpenApiController } from './openapi/openapi.controller';
import { PaymentOperationsController } from './payments/payment-operations.controller';
import { PaymentOperationsService } from './payments/payment-operations.service';
import { PaymentsController } from './payments/payments.controller';
import { PaymentsService } from './payments/payments.service';
import { EventsController } from './webhooks/events.controller';
import { WebhookEndpointsController } from './webhooks/webhook-endpoints.controller';
import { WebhooksService } from './webhooks/webhooks.service';

/**
 * The merchant-facing API (/v1): merchants, API keys, payments and their operations, webhooks,
 * its OpenAPI document, and the Idempotency-Key interceptor in front of every POST.
 */
export const MERCHANT_API_CONTROLLERS: Type[] = [
  AdminMerchantsController,
  MerchantController,
  ApiKeysController,
  PaymentsController,
  PaymentOperationsController,
  WebhookEndpointsController,
  EventsController,
  OpenApiController,
];

export const MERCHANT_API_PROVIDERS: Provider[] = [
  { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  IdempotencyService,
  LogoVerifier,
  MerchantOnboardingService,
  MerchantProfileService,
  ApiKeysService,
  PaymentsService,
  PaymentOperationsService,
  WebhooksService,
];
