import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { parseBody } from '../common/parse-body';
import { explicitCard, firstEligibleCard } from './card-selection';
import type { SimulateRequestByAliasRequest } from './online-api.types';
import { OpenApiValidatorService } from './openapi/openapi-validator.service';
import { type SwipeResult, SwipeService } from './swipe.service';
import { SwipeRequestSchema } from './swipe-request.schema';

/** The shopper's side: the regression tester's endpoint and a richer sandbox variant. */
@Controller()
export class SimulationController {
  constructor(
    private readonly swipes: SwipeService,
    private readonly validator: OpenApiValidatorService,
  ) {}

  @Post('api/v1/product/payments/simulation/enter-phone-and-swipe/:paymentId')
  @HttpCode(200)
  async enterPhoneAndSwipe(
    @Param('paymentId') paymentId: string,
    @Body() body: unknown,
  ): Promise<SwipeResult> {
    const request = this.validator.assert<SimulateRequestByAliasRequest>(
      'SimulateRequestByAliasRequest',
      body,
    );
    const payment = this.swipes.payable(paymentId);
    return this.swipes.swipe(payment, firstEligibleCard(payment, request.lastFourDigits), {
      phoneNumber: request.phoneNumber,
    });
  }

  @Post('sandbox/v1/payments/:paymentId/swipe')
  @HttpCode(200)
  async swipe(@Param('paymentId') paymentId: string, @Body() body: unknown): Promise<SwipeResult> {
    const { cardNumber, cardType, expiryMonth, expiryYear, allowInvalid, ...options } = parseBody(
      SwipeRequestSchema,
      body,
    );
    const payment = this.swipes.payable(paymentId);
    const choice = { cardNumber, cardType, expiryMonth, expiryYear, allowInvalid };
    return this.swipes.swipe(payment, explicitCard(payment, choice), options);
  }
}
