import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Put,
  Req,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { SandboxConfig } from '@app/config';
import { SANDBOX_CONFIG } from '../sandbox.tokens';
import { ApiAuthGuard, ClientId } from './api-auth.guard';
import { ApiTrafficInterceptor } from './api-traffic.interceptor';
import { AuthorizationAttemptsService } from './authorization-attempts.service';
import { PaymentLifecycleService } from './payment-lifecycle.service';
import { PaymentOperationsService } from './payment-operations.service';
import { type InitiatePaymentResponse, PaymentsService } from './payments.service';

@Controller('api')
@UseGuards(ApiAuthGuard)
@UseInterceptors(ApiTrafficInterceptor)
export class PaymentsController {
  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly payments: PaymentsService,
    private readonly attempts: AuthorizationAttemptsService,
    private readonly operations: PaymentOperationsService,
    private readonly lifecycle: PaymentLifecycleService,
  ) {}

  @Post('v3/payments')
  @HttpCode(200)
  initiate(
    @ClientId() clientId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): InitiatePaymentResponse {
    const baseUrl = this.config.publicUrl ?? `${request.protocol}://${request.host}`;
    return this.payments.initiate(clientId, body, baseUrl);
  }

  @Get('v3/payments/:paymentId')
  get(
    @ClientId() clientId: string,
    @Param('paymentId') paymentId: string,
  ): Record<string, unknown> {
    return this.payments.details(clientId, paymentId);
  }

  @Patch('v1/payments/:paymentId/authorizationattempts/:attemptId')
  @HttpCode(204)
  patchAttempt(
    @ClientId() clientId: string,
    @Param('paymentId') paymentId: string,
    @Param('attemptId') attemptId: string,
    @Body() body: unknown,
  ): void {
    this.attempts.patch(this.payments.owned(clientId, paymentId), attemptId, body);
  }

  @Post('v1/payments/:paymentId/captures')
  @HttpCode(200)
  capture(
    @ClientId() clientId: string,
    @Param('paymentId') paymentId: string,
    @Body() body: unknown,
  ) {
    const { id } = this.operations.report(
      this.payments.owned(clientId, paymentId),
      'capture',
      body,
    );
    return { captureId: id };
  }

  @Post('v1/payments/:paymentId/cancels')
  @HttpCode(200)
  cancel(
    @ClientId() clientId: string,
    @Param('paymentId') paymentId: string,
    @Body() body: unknown,
  ) {
    const { id } = this.operations.report(this.payments.owned(clientId, paymentId), 'cancel', body);
    return { cancelId: id };
  }

  @Post('v1/payments/:paymentId/refunds')
  @HttpCode(200)
  refund(
    @ClientId() clientId: string,
    @Param('paymentId') paymentId: string,
    @Body() body: unknown,
  ) {
    const { id } = this.operations.report(this.payments.owned(clientId, paymentId), 'refund', body);
    return { refundId: id };
  }

  @Put('v1/payments/:paymentId/invalidate')
  @HttpCode(204)
  invalidate(@ClientId() clientId: string, @Param('paymentId') paymentId: string): void {
    this.lifecycle.invalidate(this.payments.owned(clientId, paymentId));
  }
}
