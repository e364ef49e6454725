import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
} from '@nestjs/common';
import { z } from 'zod';
import { MERCHANT_VAT } from '@app/pos';
import { parseBody } from '../common/parse-body';
import { POS_OPERATIONS, PosSimFaultsService } from './pos-sim-faults.service';
import { PosSimNotificationsService } from './pos-sim-notifications.service';
import type { SimPayment, SimRefund } from './pos-sim.model';
import { PosSimPaymentsService } from './pos-sim-payments.service';
import { PosSimRefundsService } from './pos-sim-refunds.service';
import { PosSimStore } from './pos-sim.store';

const faultSchema = z.object({
  operation: z.enum(POS_OPERATIONS),
  resourceId: z.string().optional(),
  when: z.enum(['before', 'after']).default('before'),
  status: z.number().int().min(400).max(599).optional(),
  code: z.string().optional(),
  retryAfterS: z.number().int().min(0).optional(),
  delayMs: z.number().int().min(0).max(60_000).optional(),
  times: z.number().int().min(1).default(1),
});

const storeSchema = z.object({
  merchantVat: z.string().regex(MERCHANT_VAT),
  storeName: z.string().min(1).optional(),
  merchantBrandId: z.string().optional(),
  merchantLocationId: z.string().length(5).optional(),
  active: z.boolean().default(true),
});

const refundBalanceSchema = z.object({ amount: z.number().int().min(0).nullable() }).strict();
const backdateSchema = z.object({ ms: z.number().int().min(0) }).strict();

/** Sandbox-only: inspect what the PoS simulator saw, and script MobilePay's side of things. */
@Controller('sandbox/pos/v1')
export class PosSandboxController {
  constructor(
    private readonly store: PosSimStore,
    private readonly payments: PosSimPaymentsService,
    private readonly refunds: PosSimRefundsService,
    private readonly faults: PosSimFaultsService,
    private readonly notificationService: PosSimNotificationsService,
  ) {}

  @Post('stores')
  @HttpCode(201)
  addStore(@Body() body: unknown) {
    return this.store.addStore(parseBody(storeSchema, body));
  }

  /** What the store's balance can still pay back (minor units; null: no limit) — error 1368. */
  @Post('stores/:storeId/refund-balance')
  @HttpCode(200)
  refundBalance(@Param('storeId') storeId: string, @Body() body: unknown) {
    const { amount } = parseBody(refundBalanceSchema, body);
    const store = this.store.stores.get(storeId);
    if (!store) throw new NotFoundException('no such store');
    store.refundBalance = amount === null ? undefined : BigInt(amount);
    return { storeId, refundBalance: amount };
  }

  /** Makes a payment older than it is (refunds of old payments: error 1366). */
  @Post('payments/:paymentId/backdate')
  @HttpCode(200)
  backdate(@Param('paymentId') paymentId: string, @Body() body: unknown) {
    const { ms } = parseBody(backdateSchema, body);
    const payment = this.payments.inspect(paymentId);
    payment.createdAt -= ms;
    return paymentView(payment);
  }

  /** What the notification service sent (check-ins at points of sale with a callbackAlias). */
  @Get('notifications')
  notifications() {
    return this.notificationService.sent;
  }

  @Get('payments/:paymentId')
  payment(@Param('paymentId') paymentId: string) {
    return paymentView(this.payments.inspect(paymentId));
  }

  @Post('payments/:paymentId/reject')
  @HttpCode(200)
  reject(@Param('paymentId') paymentId: string) {
    return paymentView(this.payments.reject(paymentId));
  }

  @Post('payments/:paymentId/expire')
  @HttpCode(200)
  expire(@Param('paymentId') paymentId: string) {
    return paymentView(this.payments.expire(paymentId));
  }

  @Get('refunds/:refundId')
  refund(@Param('refundId') refundId: string) {
    return refundView(this.refunds.inspect(refundId));
  }

  @Post('refunds/:refundId/expire')
  @HttpCode(200)
  expireRefund(@Param('refundId') refundId: string) {
    return refundView(this.refunds.expire(refundId));
  }

  @Post('refunds/:refundId/reject')
  @HttpCode(200)
  rejectRefund(@Param('refundId') refundId: string) {
    return refundView(this.refunds.reject(refundId));
  }

  /** How many payments the simulator holds for a merchant (duplicates show up here). */
  @Get('merchants/:merchantVat/payments')
  paymentsOf(@Param('merchantVat') merchantVat: string) {
    return [...this.store.payments.values()]
      .filter((p) => p.merchantVat === merchantVat)
      .map(paymentView);
  }

  @Post('faults')
  @HttpCode(201)
  addFault(@Body() body: unknown): void {
    this.faults.add(parseBody(faultSchema, body));
  }

  @Get('faults/log')
  faultLog() {
    return this.faults.log;
  }

  @Delete('faults')
  @HttpCode(204)
  clearFaults(): void {
    this.faults.clear();
  }
}

function paymentView(payment: SimPayment) {
  return {
    ...payment,
    amount: payment.amount?.toString() ?? null,
    capturedAmount: payment.capturedAmount?.toString() ?? null,
  };
}

function refundView(refund: SimRefund) {
  return { ...refund, amount: refund.amount.toString() };
}
