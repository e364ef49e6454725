import { randomBytes } from 'node:crypto';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseBody } from '../common/parse-body';
import {
  renderChallengeDonePage,
  renderChallengePage,
  renderMethodNotificationPage,
  renderStepPage,
} from './challenge-page';
import { ThreeDsService, type ThreeDsStep } from './three-ds.service';

const tokenSchema = z.string().min(16).max(128);
const answerSchema = z.object({ token: tokenSchema, action: z.literal('cancel') });
const digits = (max: number) => z.string().regex(new RegExp(`^[0-9]{1,${max}}$`));
const startSchema = z.object({
  token: tokenSchema,
  colorDepth: digits(2),
  screenHeight: digits(6),
  screenWidth: digits(6),
  tz: z.string().regex(/^[+-]?[0-9]{1,4}$/),
  language: z.string().regex(/^[A-Za-z0-9-]{1,35}$/),
  javaEnabled: z.enum(['true', 'false']),
  javascriptEnabled: z.enum(['true', 'false']),
});
const continueSchema = z.object({
  token: tokenSchema,
  state: z.string().min(1).max(4096),
  methodCompleted: z.enum(['true', 'false']),
});
const methodNotificationSchema = z.object({
  threeDSMethodData: z
    .string()
    .regex(/^[A-Za-z0-9_-]+={0,2}$/)
    .max(2048),
});
const resultSchema = z.object({
  cres: z
    .string()
    .regex(/^[A-Za-z0-9_-]+={0,2}$/)
    .max(8192),
  threeDSSessionData: z.string().min(1).max(1024),
});

interface Policy {
  doneUrl: string;
  /** Where this page's forms and frames go besides us: the ACS. */
  external?: string;
  /** Pages loaded in our own iframes. */
  framed?: boolean;
}

/** Browsers apply form-action to the redirect after the post too: done3ds must be allowed. */
function pageHeaders(nonce: string, policy: Policy): Record<string, string> {
  const external = policy.external ? new URL(policy.external).origin : undefined;
  const csp = [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    `script-src 'nonce-${nonce}'`,
    `form-action 'self' ${new URL(policy.doneUrl).origin}${external ? ` ${external}` : ''}`,
    // The frames end on our own notification pages.
    ...(external ? [`frame-src 'self' ${external}`] : []),
    `frame-ancestors ${policy.framed ? "'self'" : "'none'"}`,
  ].join('; ');
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': csp,
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
  };
}

const nonce = () => randomBytes(16).toString('base64');

/**
 * The 3-D Secure challenge page (the `threeDSecureUrl` of PATCH 1008) and the EMV browser steps
 * behind it: browser data → /preauth → 3DS Method → /auth → ACS challenge → CRes → done3ds.
 */
@Controller('3ds')
export class ThreeDsController {
  constructor(private readonly threeDs: ThreeDsService) {}

  @Get(':attemptId')
  async page(
    @Param('attemptId', ParseUUIDPipe) attemptId: string,
    @Query('token') token: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const checked = parseBody(tokenSchema, token);
    const view = await this.threeDs.view(attemptId, checked);
    const doneUrl = await this.threeDs.doneUrlOf(attemptId);
    const n = nonce();
    await reply
      .status(200)
      .headers(pageHeaders(n, { doneUrl }))
      .send(renderChallengePage(view, attemptId, checked, doneUrl, n));
  }

  /** The browser's data: the request's own headers and address complete it. */
  @Post(':attemptId/start')
  async start(
    @Param('attemptId', ParseUUIDPipe) attemptId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = parseBody(startSchema, body);
    const step = await this.threeDs.start(attemptId, form.token, {
      acceptHeader: request.headers.accept ?? '*/*',
      userAgent: request.headers['user-agent'] ?? 'unknown',
      ip: request.ip,
      javaEnabled: form.javaEnabled === 'true',
      javascriptEnabled: form.javascriptEnabled === 'true',
      language: form.language,
      colorDepth: form.colorDepth,
      screenHeight: form.screenHeight,
      screenWidth: form.screenWidth,
      tz: form.tz,
    });
    await this.step(reply, step, attemptId, form.token);
  }

  /** The ACS's 3DS Method completion, in the hidden iframe. */
  @Post(':attemptId/method-notification')
  async methodNotification(
    @Param('attemptId', ParseUUIDPipe) attemptId: string,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    parseBody(methodNotificationSchema, body);
    const doneUrl = await this.threeDs.doneUrlOf(attemptId);
    const n = nonce();
    await reply
      .status(200)
      .headers(pageHeaders(n, { doneUrl, framed: true }))
      .send(renderMethodNotificationPage(n));
  }

  @Post(':attemptId/authenticate')
  async authenticate(
    @Param('attemptId', ParseUUIDPipe) attemptId: string,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = parseBody(continueSchema, body);
    const step = await this.threeDs.continueAfterMethod(
      attemptId,
      form.token,
      form.state,
      form.methodCompleted === 'true',
    );
    await this.step(reply, step, attemptId, form.token);
  }

  /** The ACS posts the CRes here (the AReq's notificationURL), in the challenge iframe. */
  @Post(':attemptId/challenge-result')
  async challengeResult(
    @Param('attemptId', ParseUUIDPipe) attemptId: string,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = parseBody(resultSchema, body);
    await this.threeDs.challengeResult(attemptId, form.cres, form.threeDSSessionData);
    const doneUrl = await this.threeDs.doneUrlOf(attemptId);
    const n = nonce();
    await reply
      .status(200)
      .headers(pageHeaders(n, { doneUrl, framed: true }))
      .send(renderChallengeDonePage(doneUrl, n));
  }

  /** The shopper cancelled: PATCH 1000 and the app is sent to done3ds (ePayment: back to Vipps MobilePay). */
  @Post(':attemptId/challenge')
  async answer(
    @Param('attemptId', ParseUUIDPipe) attemptId: string,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { token } = parseBody(answerSchema, body);
    await this.threeDs.cancel(attemptId, token);
    const doneUrl = await this.threeDs.doneUrlOf(attemptId);
    await reply.status(303).header('location', doneUrl).send();
  }

  private async step(
    reply: FastifyReply,
    step: ThreeDsStep,
    attemptId: string,
    token: string,
  ): Promise<void> {
    const doneUrl = await this.threeDs.doneUrlOf(attemptId);
    if (step.kind === 'done') {
      await reply.status(303).header('location', doneUrl).send();
      return;
    }
    const n = nonce();
    const external = step.kind === 'method' ? step.methodUrl : step.acsUrl;
    await reply
      .status(200)
      .headers(pageHeaders(n, { doneUrl, external }))
      .send(renderStepPage(step, attemptId, token, n));
  }
}
