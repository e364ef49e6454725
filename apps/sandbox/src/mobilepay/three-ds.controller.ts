import { Controller, Get, Header, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { SandboxConfig } from '@app/config';
import { htmlPage } from '../common/html-page';
import { headerValue } from '../common/sandbox-exception.filter';
import { SANDBOX_CONFIG } from '../sandbox.tokens';
import type { ThreeDsRecord } from './payment.model';
import { ThreeDsWebviewService, WEBVIEW_ATTEMPT_HEADER } from './three-ds-webview.service';

/** The app's 3DS web view, and MobilePay's done3ds.html the PSP redirects the user to. */
@Controller()
export class ThreeDsController {
  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly webview: ThreeDsWebviewService,
  ) {}

  @Post('sandbox/v1/attempts/:attemptId/open-3ds')
  @HttpCode(200)
  open(
    @Param('attemptId') attemptId: string,
    @Req() request: FastifyRequest,
  ): Promise<{ authorizationAttemptId: string; threeDs: ThreeDsRecord }> {
    const baseUrl = this.config.publicUrl ?? `${request.protocol}://${request.host}`;
    return this.webview.open(attemptId, baseUrl);
  }

  // The second path is the real one (…/remote-website/apppages/done3ds.html), host swapped.
  @Get(['done3ds.html', 'remote-website/apppages/done3ds.html'])
  @Header('content-type', 'text/html; charset=utf-8')
  done3ds(@Req() request: FastifyRequest): string {
    const path = request.url.split('?')[0];
    this.webview.landed(headerValue(request.headers[WEBVIEW_ATTEMPT_HEADER]), path);
    return htmlPage(
      'MobilePay sandbox',
      '<p>3-D Secure completed. Return to the MobilePay app.</p>',
    );
  }
}
