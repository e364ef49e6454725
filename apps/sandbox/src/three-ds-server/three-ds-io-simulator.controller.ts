import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  THREE_DS_IO_TEST_API_KEY,
  ThreeDsIoSimulatorService,
  masked,
  type ThreeDsIoReply,
} from './three-ds-io-simulator.service';

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** Base64-URL; senders must not pad, but padding is tolerated when decoding callbacks. */
function decodeJson(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+={0,2}$/.test(value)) return undefined;
  try {
    const parsed: unknown = JSON.parse(
      Buffer.from(value.replace(/=+$/, ''), 'base64url').toString('utf8'),
    );
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The ACS pages receive browser forms (kept raw by the sandbox's form parser). */
function formOf(body: unknown): Record<string, string> {
  return typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : {};
}

const encodeJson = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:1rem;color:#1a1a1a}h1{font-size:1.2rem}
button{display:block;width:100%;padding:.8rem;margin-top:.6rem;font-size:1rem;border-radius:.4rem;border:0;background:#0b5;color:#fff}
button.reject{background:#c33}.bank{color:#555;font-size:.85rem}</style></head>
<body>${body}</body></html>`;
}

/** A form that posts itself (a browser without JavaScript gets a button). */
function autoPost(action: string, fields: Record<string, string>, label: string): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`)
    .join('');
  return `<form id="post" method="post" action="${escape(action)}">${inputs}<noscript><button type="submit">${escape(label)}</button></noscript></form>
<script>document.getElementById('post').submit();</script>`;
}

/**
 * The 3dsecure.io 3-D Secure Server sandbox under `/3dsecure-io` (THREE_DS_SERVER_URL =
 * <sandbox>/3dsecure-io): the JSON API with the `APIKey` header (a wrong one: 401 "Invalid API
 * Key" in plain text), the stand-in ACS's 3DS Method page and browser challenge, and `_records`
 * for tests (card numbers masked).
 */
@Controller('3dsecure-io')
export class ThreeDsIoSimulatorController {
  constructor(private readonly service: ThreeDsIoSimulatorService) {}

  @Post('preauth')
  async preauth(
    @Req() request: FastifyRequest,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.api(request, reply, body, (b) => this.service.preauth(b, base(request)));
  }

  @Post('auth')
  async auth(
    @Req() request: FastifyRequest,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.api(request, reply, body, (b) => this.service.auth(b, base(request)));
  }

  @Post('postauth')
  async postauth(
    @Req() request: FastifyRequest,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.api(request, reply, body, (b) => this.service.postauth(b));
  }

  /** The ACS's 3DS Method: fingerprints (nothing here), then notifies the requestor. */
  @Post('acs/method')
  async method(@Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    const raw = formOf(body).threeDSMethodData;
    const data = decodeJson(raw);
    const id = data?.threeDSServerTransID;
    const notify = data?.threeDSMethodNotificationURL;
    if (
      typeof raw !== 'string' ||
      raw.endsWith('=') ||
      typeof id !== 'string' ||
      typeof notify !== 'string' ||
      !URL.canParse(notify)
    ) {
      await reply.status(400).type('text/plain').send('threeDSMethodData is invalid');
      return;
    }
    const txn = this.service.methodInvoked(id);
    if (!txn) {
      await reply.status(400).type('text/plain').send('unknown threeDSServerTransID');
      return;
    }
    if (txn.testCase.method === 'timeout') {
      await reply.type('text/html').send(page('3DS Method', '<p>fingerprinting…</p>'));
      return;
    }
    this.service.methodNotified(id);
    await reply
      .type('text/html')
      .send(
        page(
          '3DS Method',
          autoPost(
            notify,
            { threeDSMethodData: encodeJson({ threeDSServerTransID: id }) },
            'Continue',
          ),
        ),
      );
  }

  /** The ACS's browser challenge: the CReq posted in the requestor's iframe. */
  @Post('acs/challenge')
  async challenge(@Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    const form: Record<string, string | undefined> = formOf(body);
    const creq = decodeJson(form.creq);
    const session = form.threeDSSessionData;
    if (
      !creq ||
      (session !== undefined && (typeof session !== 'string' || session.length > 1024))
    ) {
      await reply.status(400).type('text/plain').send('creq is invalid');
      return;
    }
    const started = this.service.startChallenge(creq);
    if (typeof started === 'string') {
      await reply.status(400).type('text/plain').send(started);
      return;
    }
    const fields = {
      acsTransID: started.acsTransID!,
      ...(typeof session === 'string' ? { threeDSSessionData: session } : {}),
    };
    const outcome =
      started.testCase.ares.kind === 'challenge' ? started.testCase.ares.challenge : 'manual';
    if (outcome !== 'manual') {
      await reply
        .type('text/html')
        .send(
          page(
            'Authenticating',
            `<p>Authenticating with your bank…</p>${autoPost('challenge/answer', { ...fields, action: outcome === 'auto-pass' ? 'approve' : 'reject' }, 'Continue')}`,
          ),
        );
      return;
    }
    const hidden = Object.entries(fields)
      .map(([k, v]) => `<input type="hidden" name="${k}" value="${escape(v)}">`)
      .join('');
    await reply.type('text/html').send(
      page(
        'Sandbox Bank: verify your purchase',
        `<p class="bank">Sandbox Bank · 3-D Secure</p>
<h1>Verify your purchase</h1>
<p>Card ${escape(masked(started.acctNumber))}</p>
<p>Approve this purchase in your banking app, or confirm here.</p>
<form method="post" action="challenge/answer">${hidden}
<button type="submit" name="action" value="approve" id="acs-approve">Approve</button>
<button type="submit" name="action" value="reject" id="acs-reject" class="reject">Reject</button>
<button type="submit" name="action" value="cancel" id="acs-cancel" class="reject">Cancel</button>
</form>`,
      ),
    );
  }

  /** The answer: the CRes is posted to the AReq's notificationURL, in the same iframe. */
  @Post('acs/challenge/answer')
  async answer(@Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    const form: Record<string, string | undefined> = formOf(body);
    const action = form.action;
    if (
      typeof form.acsTransID !== 'string' ||
      !['approve', 'reject', 'cancel'].includes(String(action))
    ) {
      await reply.status(400).type('text/plain').send('invalid answer');
      return;
    }
    const finished = this.service.finishChallenge(
      form.acsTransID,
      action === 'approve',
      action === 'cancel',
    );
    if (!finished) {
      await reply.status(400).type('text/plain').send('no challenge in progress');
      return;
    }
    const notificationURL = finished.txn.areq?.notificationURL as string;
    const fields: Record<string, string> = { cres: encodeJson(finished.cres) };
    if (typeof form.threeDSSessionData === 'string')
      fields.threeDSSessionData = form.threeDSSessionData;
    await reply
      .type('text/html')
      .send(page('Returning to the shop', autoPost(notificationURL, fields, 'Continue')));
  }

  /** Tests: the transactions seen (card numbers masked). */
  @Get('_records')
  records(): unknown {
    return [...this.service.transactions.values()].map((t) => ({
      threeDSServerTransID: t.threeDSServerTransID,
      acctNumber: masked(t.acctNumber),
      messageVersion: t.messageVersion ?? null,
      methodInvoked: t.methodInvoked,
      methodNotified: t.methodNotified,
      threeDSCompInd: t.areq?.threeDSCompInd ?? null,
      areq: t.areq ?? null,
      aresTransStatus: t.ares?.transStatus ?? null,
      challengeStarted: t.challengeStarted,
      challenge: t.challenge
        ? { transStatus: t.challenge.transStatus, cancelled: t.challenge.cancelled }
        : null,
    }));
  }

  private async api(
    request: FastifyRequest,
    reply: FastifyReply,
    body: unknown,
    act: (body: Record<string, unknown>) => ThreeDsIoReply,
  ): Promise<void> {
    const key = request.headers.apikey;
    if (key !== THREE_DS_IO_TEST_API_KEY) {
      await reply.status(401).type('text/plain; charset=utf-8').send('Invalid API Key');
      return;
    }
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
      await reply
        .status(415)
        .type('text/plain')
        .send('Content-Type must be application/json; charset=utf-8');
      return;
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      await reply.status(400).send({
        messageType: 'Erro',
        errorCode: '101',
        errorComponent: 'S',
        errorDescription: 'Message not recognised',
        errorDetail: 'body',
        messageVersion: '2.2.0',
      });
      return;
    }
    const answer = act(body as Record<string, unknown>);
    await reply.status(answer.status).type('application/json; charset=utf-8').send(answer.body);
  }
}

function base(request: FastifyRequest): string {
  return `${request.protocol}://${request.headers.host}/3dsecure-io`;
}
