import { Body, Controller, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/domain';
import { cardCallbackSchema } from '@app/epayment';
import { CallbackSenderGuard } from '../callbacks/callback-sender.guard';
import { parseBody } from '../common/parse-body';
import { checkCallbackSender } from './epayment-callback-auth';
import { EpaymentCallbackService } from './epayment-callback.service';

/** Vipps MobilePay's card callback (`cardPassthrough.cardCallbackUrl`): answered synchronously. */
@Controller('callbacks/epayment')
@UseGuards(CallbackSenderGuard)
export class EpaymentCallbackController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly callbacks: EpaymentCallbackService,
  ) {}

  @Post('card')
  async card(
    @Req() request: RawBodyRequest<FastifyRequest>,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<void> {
    if (!this.config.epayment)
      throw new DomainError(ErrorCode.NotFound, 'the ePayment channel is not configured');
    checkCallbackSender(this.config.epayment, {
      rawBody: request.rawBody ?? Buffer.alloc(0),
      headers: request.headers,
      url: request.url,
      host: request.headers.host ?? '',
    });
    const answer = await this.callbacks.accept(parseBody(cardCallbackSchema, body));
    await reply.status(answer.status).send(answer.body);
  }
}
