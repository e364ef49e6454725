import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { parseBody } from '../common/parse-body';
import { renderChallengePage } from './challenge-page';
import { ThreeDsService } from './three-ds.service';

const tokenSchema = z.string().min(16).max(128);
const answerSchema = z.object({ token: tokenSchema, action: z.enum(['approve', 'cancel']) });

/** Browsers apply form-action to the redirect after the post too: done3ds must be allowed. */
function pageHeaders(doneUrl: string): Record<string, string> {
  const csp = `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${new URL(doneUrl).origin}; frame-ancestors 'none'`;
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': csp,
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
  };
}

/** The 3-D Secure challenge page (the `threeDSecureUrl` of PATCH 1008) and its answer. */
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
    const doneUrl = await this.threeDs.doneUrlFor(attemptId, checked);
    await reply
      .status(200)
      .headers(pageHeaders(doneUrl))
      .send(renderChallengePage(view, attemptId, checked, doneUrl));
  }

  /** After the challenge, whatever its outcome, the app is sent to done3ds (ePayment: back to Vipps MobilePay). */
  @Post(':attemptId/challenge')
  async answer(
    @Param('attemptId', ParseUUIDPipe) attemptId: string,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { token, action } = parseBody(answerSchema, body);
    await this.threeDs.complete(attemptId, token, action === 'approve');
    const doneUrl = await this.threeDs.doneUrlFor(attemptId, token);
    await reply.status(303).header('location', doneUrl).send();
  }
}
