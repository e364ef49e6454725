import { setTimeout as sleep } from 'node:timers/promises';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SandboxConfig } from '@app/config';
import { parseBody } from '../../common/parse-body';
import { SANDBOX_CONFIG } from '../../sandbox.tokens';
import { ClearhausVerificationKeys } from './clearhaus-signature';
import { type ClearhausReply, ClearhausSimulatorService } from './clearhaus-simulator.service';
import { type ClearhausResource, ClearhausSimulatorStore } from './clearhaus-simulator.store';

/** A test merchant account that always exists (API key → merchant id). */
export const DEFAULT_TEST_ACCOUNT = {
  apiKey: '8a0ee4a6-29c4-4f4e-9a3b-2f1d0c5e7b61',
  merchantId: '000000003000001',
};

const CONTENT_TYPE = 'application/vnd.clearhaus-gateway.hal+json; version=0.10.0; charset=utf-8';

const FaultSchema = z.strictObject({
  resource: z.enum(['authorizations', 'captures', 'refunds', 'voids']),
  delayMs: z.number().int().min(0).max(120_000).optional(),
  dropAnswer: z.boolean().optional(),
  count: z.number().int().min(1).max(100).default(1),
});

/**
 * The Clearhaus Transaction API under `/clearhaus` (CLEARHAUS_URL = <sandbox>/clearhaus): HTTP
 * Basic with a merchant account's API key (401 otherwise), POST requests signed with a partner's
 * signing API key (`Signature: <key> RS256-hex <hex>`; a missing or wrong one is a 40000 refusal:
 * "the transaction will fail"). Faults (`/clearhaus/_faults`) act first, then answer late or drop
 * the connection, for unknown-outcome tests.
 */
@Controller('clearhaus')
export class ClearhausSimulatorController {
  private readonly verification: ClearhausVerificationKeys;
  private readonly accounts: ReadonlyMap<string, string>;

  constructor(
    private readonly service: ClearhausSimulatorService,
    private readonly store: ClearhausSimulatorStore,
    @Inject(SANDBOX_CONFIG) config: SandboxConfig,
  ) {
    this.verification = new ClearhausVerificationKeys(config.clearhaus.signingKeyFiles);
    this.accounts = new Map([
      [DEFAULT_TEST_ACCOUNT.apiKey, DEFAULT_TEST_ACCOUNT.merchantId],
      ...config.clearhaus.accounts,
    ]);
  }

  @Post('authorizations')
  authorize(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.handle(request, reply, 'authorizations', (merchantId, params) =>
      this.service.authorize(merchantId, params),
    );
  }

  @Get('authorizations/:id')
  find(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
  ): Promise<void> {
    return this.handle(request, reply, undefined, (merchantId) =>
      this.service.find(merchantId, id),
    );
  }

  @Post('authorizations/:id/captures')
  capture(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
  ): Promise<void> {
    return this.handle(request, reply, 'captures', (merchantId, params) =>
      this.service.capture(merchantId, id, params),
    );
  }

  @Post('authorizations/:id/refunds')
  refund(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
  ): Promise<void> {
    return this.handle(request, reply, 'refunds', (merchantId, params) =>
      this.service.refund(merchantId, id, params),
    );
  }

  @Post('authorizations/:id/voids')
  void(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
  ): Promise<void> {
    return this.handle(request, reply, 'voids', (merchantId) => this.service.void(merchantId, id));
  }

  @Get('account')
  account(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.handle(request, reply, undefined, (merchantId) => ({
      httpStatus: 200,
      body: {
        merchant_id: merchantId,
        name: 'Sandbox Merchant',
        country: 'DK',
        currency: 'DKK',
        mcc: '5499',
        descriptor: 'sandbox.example.dk',
      },
    }));
  }

  /** Tests: what Clearhaus holds, and how many authorization requests each reference got. */
  @Get('_records')
  records(): unknown {
    return {
      authorizations: [...this.store.authorizations.values()],
      requestsByReference: Object.fromEntries(this.store.requestsByReference),
    };
  }

  @Post('_faults')
  @HttpCode(200)
  addFault(@Body() body: unknown): { armed: true } {
    const fault = parseBody(FaultSchema, body);
    this.store.addFault({
      resource: fault.resource,
      delayMs: fault.delayMs,
      dropAnswer: fault.dropAnswer,
      remaining: fault.count,
    });
    return { armed: true };
  }

  /** Tests: this card's issuer requires 3-D Secure (40416 until a passed result comes along). */
  @Post('_sca-required-cards')
  @HttpCode(200)
  requireSca(@Body() body: unknown): { pan: string } {
    const { pan } = parseBody(z.strictObject({ pan: z.string().regex(/^[0-9]{12,19}$/) }), body);
    this.store.scaRequiredPans.add(pan);
    return { pan };
  }

  @Delete('_faults')
  @HttpCode(204)
  clearFaults(): void {
    this.store.clearFaults();
  }

  private async handle(
    request: FastifyRequest,
    reply: FastifyReply,
    resource: ClearhausResource | undefined,
    act: (merchantId: string, params: URLSearchParams) => ClearhausReply,
  ): Promise<void> {
    const merchantId = this.accounts.get(apiKeyOf(request.headers.authorization) ?? '');
    if (!merchantId) {
      await reply.status(401).header('content-type', CONTENT_TYPE).send({});
      return;
    }
    const body = typeof request.body === 'string' ? request.body : '';
    // Every authorization request is counted, refused ones too: tests prove nothing is resent.
    if (resource === 'authorizations')
      this.store.countRequest(new URLSearchParams(body).get('reference'));
    const signature = this.verification.check(header(request.headers.signature), body);
    const mustSign = request.method === 'POST';
    if (
      (mustSign && signature !== 'valid') ||
      (!mustSign && signature !== 'absent' && signature !== 'valid')
    ) {
      const message =
        signature === 'absent' ? 'signature required' : `invalid signature (${signature})`;
      await reply
        .status(400)
        .header('content-type', CONTENT_TYPE)
        .send({ status: { code: 40000, message } });
      return;
    }
    const answer = act(merchantId, new URLSearchParams(body));
    const fault = resource ? this.store.takeFault(resource) : undefined;
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.dropAnswer) {
      request.raw.socket.destroy();
      return;
    }
    await reply.status(answer.httpStatus).header('content-type', CONTENT_TYPE).send(answer.body);
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** HTTP Basic: the API key is the user name, the password is blank. */
function apiKeyOf(authorization: string | undefined): string | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(0, colon);
}
