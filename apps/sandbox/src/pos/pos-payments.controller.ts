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
import { PosSimPaymentsService } from './pos-sim-payments.service';

const IDEMPOTENCY_KEY = 'x-mobilepay-idempotency-key';

/** PoS v10 payments: initiate, or prepare then ready; poll; capture or cancel. */
@Controller('pos/v10/payments')
@UseGuards(PosApiGuard)
@UseInterceptors(PosRetryAfterInterceptor)
export class PosPaymentsController {
  constructor(
    private readonly payments: PosSimPaymentsService,
    private readonly faults: PosSimFaultsService,
  ) {}

  @Post()
  @HttpCode(200)
  initiate(
    @Caller() caller: PosCaller,
    @Body() body: unknown,
    @Headers(IDEMPOTENCY_KEY) key: unknown,
  ) {
    return this.faults.around('initiate', () => this.payments.initiate(caller, body, key));
  }

  @Post('prepare')
  @HttpCode(200)
  prepare(
    @Caller() caller: PosCaller,
    @Body() body: unknown,
    @Headers(IDEMPOTENCY_KEY) key: unknown,
  ) {
    return this.faults.around('prepare', () => this.payments.prepare(caller, body, key));
  }

  @Get()
  query(@Caller() caller: PosCaller, @Query() query: Record<string, string | undefined>) {
    return this.faults.around('queryPayments', () => this.payments.query(caller, query));
  }

  @Get(':paymentId')
  get(@Caller() caller: PosCaller, @Param('paymentId') paymentId: string) {
    return this.faults.around('getPayment', () => this.payments.get(caller, paymentId), paymentId);
  }

  @Post(':paymentId/ready')
  @HttpCode(204)
  ready(@Caller() caller: PosCaller, @Param('paymentId') paymentId: string, @Body() body: unknown) {
    return this.faults.around(
      'ready',
      () => this.payments.ready(caller, paymentId, body),
      paymentId,
    );
  }

  @Post(':paymentId/capture')
  @HttpCode(204)
  capture(
    @Caller() caller: PosCaller,
    @Param('paymentId') paymentId: string,
    @Body() body: unknown,
  ) {
    return this.faults.around(
      'capture',
      () => this.payments.capture(caller, paymentId, body),
      paymentId,
    );
  }

  @Post(':paymentId/cancel')
  @HttpCode(204)
  cancel(@Caller() caller: PosCaller, @Param('paymentId') paymentId: string) {
    return this.faults.around('cancel', () => this.payments.cancel(caller, paymentId), paymentId);
  }
}
