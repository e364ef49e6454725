import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import { parseBody, parseQuery } from '../common/parse-body';
import type { IdempotentRequest } from '../idempotency/idempotency.interceptor';
import { type AuthenticatedRequest, MerchantAuthGuard } from '../merchants/auth.guard';
import {
  createPosPaymentSchema,
  listPosEventsQuerySchema,
  listPosPaymentsQuerySchema,
  posCancelSchema,
  posCaptureSchema,
  readyPosPaymentSchema,
} from './pos.dto';
import { PosPaymentsService } from './pos-payments.service';

/** In-store payments (MobilePay PoS v10) and their events. */
@Controller('v1/pos')
@UseGuards(MerchantAuthGuard)
export class PosPaymentsController {
  constructor(private readonly payments: PosPaymentsService) {}

  @Post('payments')
  @HttpCode(201)
  create(@Req() request: IdempotentRequest, @Body() body: unknown) {
    const dto = parseBody(createPosPaymentSchema, withDefaultFlow(body));
    return this.payments.create(request.merchant, dto, request.idempotency);
  }

  @Get('payments')
  list(@Req() request: AuthenticatedRequest, @Query() query: unknown) {
    return this.payments.list(request.merchant, parseQuery(listPosPaymentsQuerySchema, query));
  }

  @Get('payments/:id')
  get(@Req() request: AuthenticatedRequest, @Param('id', ParseUUIDPipe) id: string) {
    return this.payments.get(request.merchant, id);
  }

  @Post('payments/:id/ready')
  @HttpCode(200)
  ready(
    @Req() request: AuthenticatedRequest,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ) {
    return this.payments.ready(request.merchant, id, parseBody(readyPosPaymentSchema, body));
  }

  @Post('payments/:id/capture')
  @HttpCode(200)
  capture(
    @Req() request: AuthenticatedRequest,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ) {
    const { amount } = parseBody(posCaptureSchema, body ?? {});
    return this.payments.capture(request.merchant, id, amount);
  }

  @Post('payments/:id/cancel')
  @HttpCode(200)
  cancel(
    @Req() request: AuthenticatedRequest,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ) {
    parseBody(posCancelSchema, body ?? {});
    return this.payments.cancel(request.merchant, id);
  }

  @Get('events')
  events(@Req() request: AuthenticatedRequest, @Query() query: unknown) {
    const { paymentId } = parseQuery(listPosEventsQuerySchema, query);
    return this.payments.events(request.merchant, paymentId);
  }
}

/** `flow` may be omitted: an initiated payment is the common case (docs: best practices). */
function withDefaultFlow(body: unknown): unknown {
  return body && typeof body === 'object' && !('flow' in body)
    ? { ...body, flow: 'initiate' }
    : body;
}
