import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { parseBody } from '../common/parse-body';
import { AcquirerService } from './acquirer.service';
import { AcquirerStore, type AuthorizationResult } from './acquirer.store';
import { type AcquirerBehaviour, BehaviourSchema } from './authorization-request.schema';

@Controller('acquirer/v1')
export class AcquirerController {
  constructor(
    private readonly acquirer: AcquirerService,
    private readonly store: AcquirerStore,
  ) {}

  @Post('authorizations')
  @HttpCode(200)
  authorize(
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: unknown,
  ): Promise<AuthorizationResult> {
    return this.acquirer.authorize(idempotencyKey, body);
  }

  @Get('authorizations/:reference')
  inquire(@Param('reference') reference: string): AuthorizationResult {
    return this.acquirer.inquire(reference);
  }

  @Post('authorizations/:reference/reversal')
  @HttpCode(200)
  reverse(@Param('reference') reference: string): { reference: string; status: 'REVERSED' } {
    return this.acquirer.reverse(reference);
  }

  @Post('authorizations/:reference/captures')
  @HttpCode(200)
  capture(
    @Param('reference') reference: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: unknown,
  ): ReturnType<AcquirerService['operate']> {
    return this.acquirer.operate('capture', reference, idempotencyKey, body);
  }

  @Post('authorizations/:reference/refunds')
  @HttpCode(200)
  refund(
    @Param('reference') reference: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: unknown,
  ): ReturnType<AcquirerService['operate']> {
    return this.acquirer.operate('refund', reference, idempotencyKey, body);
  }

  /** Voids the uncaptured rest (or part of it) of the authorization. */
  @Post('authorizations/:reference/cancels')
  @HttpCode(200)
  cancel(
    @Param('reference') reference: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: unknown,
  ): ReturnType<AcquirerService['operate']> {
    return this.acquirer.operate('cancel', reference, idempotencyKey, body);
  }

  @Get('authorizations/:reference/operations')
  operations(@Param('reference') reference: string): ReturnType<AcquirerService['operations']> {
    return this.acquirer.operations(reference);
  }

  @Get('_records')
  records(): ReturnType<AcquirerService['records']> {
    return this.acquirer.records();
  }

  @Post('_behaviour')
  @HttpCode(200)
  setBehaviour(@Body() body: unknown): AcquirerBehaviour {
    return this.store.setBehaviour(parseBody(BehaviourSchema, body));
  }

  @Delete('_behaviour')
  @HttpCode(204)
  resetBehaviour(): void {
    this.store.setBehaviour({ delayMs: 0, failNext: 0 });
  }
}
