import {
  Body,
  Controller,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import { parseBody } from '../common/parse-body';
import type { IdempotentRequest } from '../idempotency/idempotency.interceptor';
import { MerchantAuthGuard } from '../merchants/auth.guard';
import { cancelSchema, captureSchema, refundSchema } from './payment.dto';
import type { OperationView } from './payment.view';
import { PaymentOperationsService } from './payment-operations.service';

@Controller('v1/payments/:id')
@UseGuards(MerchantAuthGuard)
export class PaymentOperationsController {
  constructor(private readonly operations: PaymentOperationsService) {}

  @Post('captures')
  @HttpCode(201)
  capture(
    @Req() request: IdempotentRequest,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ): Promise<OperationView> {
    const { amount } = parseBody(captureSchema, body ?? {});
    return this.operations.perform(request.merchant, id, 'CAPTURE', amount, request.idempotency);
  }

  @Post('cancels')
  @HttpCode(201)
  cancel(
    @Req() request: IdempotentRequest,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ): Promise<OperationView> {
    parseBody(cancelSchema, body ?? {});
    return this.operations.perform(request.merchant, id, 'CANCEL', undefined, request.idempotency);
  }

  @Post('refunds')
  @HttpCode(201)
  refund(
    @Req() request: IdempotentRequest,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ): Promise<OperationView> {
    const { amount } = parseBody(refundSchema, body ?? {});
    return this.operations.perform(request.merchant, id, 'REFUND', amount, request.idempotency);
  }
}
