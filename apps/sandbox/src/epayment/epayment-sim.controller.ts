import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxConfig } from '@app/config';
import { SANDBOX_CONFIG } from '../sandbox.tokens';
import { EpaymentCallbacksService } from './epayment-callbacks.service';
import { notFound } from './epayment-problem';
import {
  forceApproveSchema,
  registerWebhookSchema,
  sandboxApproveSchema,
} from './epayment-sim.schemas';
import { EpaymentSimService, parse } from './epayment-sim.service';
import { EpaymentSimStore } from './epayment-sim.store';
import { EpaymentWebhooksService } from './epayment-webhooks.service';

type Headers = Record<string, string | string[] | undefined>;

/** The Vipps MobilePay ePayment, access-token and Webhooks APIs, as a PSP calls them. */
@Controller()
export class EpaymentSimController {
  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly api: EpaymentSimService,
    private readonly callbacks: EpaymentCallbacksService,
    private readonly webhooks: EpaymentWebhooksService,
    private readonly store: EpaymentSimStore,
  ) {}

  @Post('accesstoken/get')
  @HttpCode(200)
  token(@Headers() headers: Headers) {
    return this.api.issueToken(headers);
  }

  @Post('epayment/v1/payments')
  create(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() body: unknown,
  ) {
    const answer = this.api.create(request.headers, body, this.baseUrl(request));
    void reply.status(answer.status);
    return answer.body;
  }

  @Get('epayment/v1/payments/:reference')
  get(@Headers() headers: Headers, @Param('reference') reference: string) {
    return this.api.get(headers, reference);
  }

  @Get('epayment/v1/payments/:reference/events')
  events(@Headers() headers: Headers, @Param('reference') reference: string) {
    return this.api.events(headers, reference);
  }

  @Post('epayment/v1/payments/:reference/capture')
  @HttpCode(200)
  capture(@Headers() h: Headers, @Param('reference') reference: string, @Body() body: unknown) {
    return this.api.modify(h, reference, 'capture', body).body;
  }

  @Post('epayment/v1/payments/:reference/refund')
  @HttpCode(200)
  refund(@Headers() h: Headers, @Param('reference') reference: string, @Body() body: unknown) {
    return this.api.modify(h, reference, 'refund', body).body;
  }

  @Post('epayment/v1/payments/:reference/cancel')
  @HttpCode(200)
  cancel(@Headers() h: Headers, @Param('reference') reference: string, @Body() body: unknown) {
    return this.api.modify(h, reference, 'cancel', body).body;
  }

  /** Test environment: the user approves; here the card callback fires (an assumption). */
  @Post('epayment/v1/test/payments/:reference/approve')
  @HttpCode(200)
  async forceApprove(
    @Req() request: FastifyRequest,
    @Param('reference') reference: string,
    @Body() body: unknown,
  ): Promise<void> {
    const msn = this.api.authenticate(request.headers, true);
    parse(forceApproveSchema, body);
    await this.callbacks.approve(this.callbacks.find(msn, reference), {}, this.baseUrl(request));
  }

  @Post('webhooks/v1/webhooks')
  @HttpCode(201)
  register(@Headers() headers: Headers, @Body() body: unknown) {
    const msn = this.api.authenticate(headers, false);
    const { url, events } = parse(registerWebhookSchema, body);
    return this.webhooks.register(msn, url, events);
  }

  @Get('webhooks/v1/webhooks')
  listWebhooks(@Headers() headers: Headers) {
    return this.webhooks.list(this.api.authenticate(headers, false));
  }

  @Delete('webhooks/v1/webhooks/:id')
  @HttpCode(204)
  removeWebhook(@Headers() headers: Headers, @Param('id') id: string): void {
    if (!this.webhooks.remove(this.api.authenticate(headers, false), id))
      throw notFound('webhook not found');
  }

  // ── sandbox-only: the simulated user and inspection ────────────────────────────────────────

  /** The user picks a given test card (network token) in the app; answers what the PSP said. */
  @Post('sandbox/epayment/v1/payments/:reference/approve')
  @HttpCode(200)
  approve(
    @Req() request: FastifyRequest,
    @Param('reference') reference: string,
    @Body() body: unknown,
  ) {
    const approval = parse(sandboxApproveSchema, body ?? {});
    return this.callbacks.approve(
      this.callbacks.find(undefined, reference),
      approval,
      this.baseUrl(request),
    );
  }

  /** `softDeclineCompletedRedirectUrl`: the PSP's 3-D Secure page sends the browser here. */
  @Get('epayment-sim/soft-decline-completed/:attemptId')
  softDeclineCompleted(@Req() request: FastifyRequest, @Param('attemptId') attemptId: string) {
    return this.callbacks.softDeclineCompleted(attemptId, this.baseUrl(request));
  }

  @Get('epayment-sim/landing/:reference')
  landing(@Param('reference') reference: string) {
    const payment = this.callbacks.find(undefined, reference);
    return { reference, state: payment.state, amount: payment.amount };
  }

  @Get('sandbox/epayment/v1/payments/:reference')
  inspect(@Param('reference') reference: string) {
    const payment = this.callbacks.find(undefined, reference);
    return {
      ...payment,
      attempts: payment.attempts.map(({ pan: _pan, ...rest }) => rest),
    };
  }

  @Get('sandbox/epayment/v1/webhooks')
  deliveries() {
    return [...this.store.webhooks.values()].map(({ id, url, msn, deliveries }) => ({
      id,
      url,
      msn,
      deliveries,
    }));
  }

  private baseUrl(request: FastifyRequest): string {
    return this.config.publicUrl ?? `${request.protocol}://${request.host}`;
  }
}
