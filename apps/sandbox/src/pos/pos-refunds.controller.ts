import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { Caller, PosApiGuard } from './pos-api.guard';
import { PosRetryAfterInterceptor } from './pos-retry-after.interceptor';
import { PosSimFaultsService } from './pos-sim-faults.service';
import type { PosCaller } from './pos-sim.model';
import { PosSimRefundsService } from './pos-sim-refunds.service';

/** PoS v10 refunds: create, poll, capture, cancel. */
@Controller('pos/v10/refunds')
@UseGuards(PosApiGuard)
@UseInterceptors(PosRetryAfterInterceptor)
export class PosRefundsController {
  constructor(
    private readonly refunds: PosSimRefundsService,
    private readonly faults: PosSimFaultsService,
  ) {}

  @Post()
  @HttpCode(200)
  create(
    @Caller() caller: PosCaller,
    @Body() body: unknown,
    @Headers('x-mobilepay-idempotency-key') key: unknown,
  ) {
    return this.faults.around('createRefund', () => this.refunds.create(caller, body, key));
  }

  @Get()
  query(@Caller() caller: PosCaller, @Query('paymentId') paymentId: string | undefined) {
    return this.faults.around('queryRefunds', () => this.refunds.query(caller, paymentId));
  }

  @Get(':refundId')
  get(@Caller() caller: PosCaller, @Param('refundId') refundId: string) {
    return this.faults.around('getRefund', () => this.refunds.get(caller, refundId), refundId);
  }

  @Post(':refundId/capture')
  @HttpCode(204)
  capture(@Caller() caller: PosCaller, @Param('refundId') refundId: string) {
    return this.faults.around(
      'captureRefund',
      () => this.refunds.capture(caller, refundId),
      refundId,
    );
  }

  @Post(':refundId/cancel')
  @HttpCode(204)
  cancel(@Caller() caller: PosCaller, @Param('refundId') refundId: string) {
    return this.faults.around(
      'cancelRefund',
      () => this.refunds.cancel(caller, refundId),
      refundId,
    );
  }
}
