import type { Provider, Type } from '@nestjs/common';
import { EpaymentCallbackController } from './epayment-callback.controller';
import { EpaymentCallbackService } from './epayment-callback.service';
import { EpaymentMerchantController } from './epayment-merchant.controller';
import { EpaymentPaymentsService } from './epayment-payments.service';

/** The ePayment channel (CARD_PASSTHROUGH): card callback, merchant identity, payment creation. */
export const EPAYMENT_GATEWAY_CONTROLLERS: Type[] = [
  EpaymentCallbackController,
  EpaymentMerchantController,
];

export const EPAYMENT_GATEWAY_PROVIDERS: Provider[] = [
  EpaymentCallbackService,
  EpaymentPaymentsService,
];
