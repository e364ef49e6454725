import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { parseBody } from '../common/parse-body';
import type { SandboxEvent } from './event-log.store';
import { type Faults, FaultsStore } from './faults.store';
import { InspectionService } from './inspection.service';

const count = z.number().int().min(0);
const FaultsBody = z.strictObject({
  apiLatencyMs: count.max(60_000).optional(),
  apiFailNext: count.optional(),
  apiDropResponseNext: count.optional(),
  duplicateCallbacks: count.max(10).optional(),
  apiOutageMs: count.max(600_000).optional(),
  patchAnswerDelayMs: count.max(60_000).optional(),
});

@Controller('sandbox/v1')
export class InspectionController {
  constructor(
    private readonly inspection: InspectionService,
    private readonly faults: FaultsStore,
  ) {}

  @Get('payments/:paymentId')
  payment(@Param('paymentId') paymentId: string): Record<string, unknown> {
    return this.inspection.payment(paymentId);
  }

  @Get('events')
  events(@Query('paymentId') paymentId?: string): SandboxEvent[] {
    return this.inspection.eventList(paymentId);
  }

  @Post('reset')
  @HttpCode(204)
  reset(): void {
    this.inspection.reset();
  }

  @Get('faults')
  currentFaults(): Faults {
    return this.faults.current();
  }

  @Post('faults')
  @HttpCode(200)
  setFaults(@Body() body: unknown): Faults {
    return this.faults.set(parseBody(FaultsBody, body));
  }

  @Delete('faults')
  @HttpCode(204)
  clearFaults(): void {
    this.faults.clear();
  }
}
