import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  cardDataCallbackSchema,
  checkoutCallbackSchema,
  failedPaymentCallbackSchema,
  tokenCallbackSchema,
} from '@app/mobilepay';
import { parseBody } from '../common/parse-body';
import type { CallbackAck } from './attempt-intake.service';
import { CallbackSenderGuard } from './callback-sender.guard';
import { CardCallbackService } from './card-callback.service';
import { PaymentCallbackService } from './payment-callback.service';
import { TokenCallbackService } from './token-callback.service';

/** Endpoints MobilePay calls. Each answers as soon as the callback is safely stored and queued. */
@Controller('callbacks/mobilepay')
@UseGuards(CallbackSenderGuard)
export class CallbacksController {
  constructor(
    private readonly cards: CardCallbackService,
    private readonly tokens: TokenCallbackService,
    private readonly payments: PaymentCallbackService,
  ) {}

  @Post('card-data')
  @HttpCode(200)
  cardData(@Body() body: unknown): Promise<CallbackAck> {
    return this.cards.accept(parseBody(cardDataCallbackSchema, body));
  }

  @Post('token')
  @HttpCode(200)
  token(@Body() body: unknown): Promise<CallbackAck> {
    return this.tokens.accept(parseBody(tokenCallbackSchema, body), body);
  }

  @Post('checkout')
  @HttpCode(200)
  checkout(@Body() body: unknown): Promise<{ status: 'stored' }> {
    return this.payments.checkout(parseBody(checkoutCallbackSchema, body));
  }

  @Post('failed')
  @HttpCode(200)
  failed(@Body() body: unknown): Promise<{ status: 'expired' | 'unchanged' }> {
    return this.payments.failed(parseBody(failedPaymentCallbackSchema, body));
  }
}
