import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { type EndedPayment, PaymentLifecycleService } from './payment-lifecycle.service';

/** The shopper (or the clock) ending a payment without paying. */
@Controller('sandbox/v1/payments/:paymentId')
export class UserActionsController {
  constructor(private readonly lifecycle: PaymentLifecycleService) {}

  @Post('reject')
  @HttpCode(200)
  reject(@Param('paymentId') paymentId: string): EndedPayment {
    return this.lifecycle.reject(paymentId);
  }

  @Post('expire')
  @HttpCode(200)
  expire(@Param('paymentId') paymentId: string): Promise<EndedPayment> {
    return this.lifecycle.expireNow(paymentId);
  }
}
