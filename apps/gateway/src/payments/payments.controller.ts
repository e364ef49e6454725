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
import { createPaymentSchema, listPaymentsQuerySchema } from './payment.dto';
import type { PaymentListView, PaymentView } from './payment.view';
import { PaymentsService } from './payments.service';

@Controller('v1/payments')
@UseGuards(MerchantAuthGuard)
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post()
  @HttpCode(201)
  create(@Req() request: IdempotentRequest, @Body() body: unknown): Promise<PaymentView> {
    return this.payments.create(
      request.merchant,
      parseBody(createPaymentSchema, body),
      request.idempotency,
    );
  }

  @Get()
  list(@Req() request: AuthenticatedRequest, @Query() query: unknown): Promise<PaymentListView> {
    return this.payments.list(request.merchant.id, parseQuery(listPaymentsQuerySchema, query));
  }

  @Get(':id')
  get(
    @Req() request: AuthenticatedRequest,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<PaymentView> {
    return this.payments.get(request.merchant.id, id);
  }
}
