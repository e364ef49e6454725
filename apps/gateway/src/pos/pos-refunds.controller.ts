import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import { parseBody } from '../common/parse-body';
import type { IdempotentRequest } from '../idempotency/idempotency.interceptor';
import { type AuthenticatedRequest, MerchantAuthGuard } from '../merchants/auth.guard';
import { createPosRefundSchema, posCancelSchema } from './pos.dto';
import { PosRefundsService } from './pos-refunds.service';

/** Refunds of in-store payments: created on the payment, then polled, captured or cancelled. */
@Controller('v1/pos')
@UseGuards(MerchantAuthGuard)
export class PosRefundsController {
  constructor(private readonly refunds: PosRefundsService) {}

  @Post('payments/:id/refunds')
  @HttpCode(201)
  create(
    @Req() request: IdempotentRequest,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ) {
    const dto = parseBody(createPosRefundSchema, body ?? {});
    return this.refunds.create(request.merchant, id, dto, request.idempotency);
  }

  @Get('refunds/:id')
  get(@Req() request: AuthenticatedRequest, @Param('id', ParseUUIDPipe) id: string) {
    return this.refunds.get(request.merchant, id);
  }

  @Post('refunds/:id/capture')
  @HttpCode(200)
  capture(
    @Req() request: AuthenticatedRequest,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ) {
    parseBody(posCancelSchema, body ?? {});
    return this.refunds.capture(request.merchant, id);
  }

  @Post('refunds/:id/cancel')
  @HttpCode(200)
  cancel(
    @Req() request: AuthenticatedRequest,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ) {
    parseBody(posCancelSchema, body ?? {});
    return this.refunds.cancel(request.merchant, id);
  }
}
