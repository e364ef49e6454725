import { constants, type KeyObject, privateDecrypt } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Json, type SandboxClient, withAcquirerFields } from './sandbox-harness';

const REASON_CODES: Record<string, number> = {
  INSUFFICIENT_FUNDS: 1001,
  EXPIRED_CARD: 1003,
  FRAUD_SUSPECTED: 1004,
  SOFT_BLOCKED: 1005,
  HARD_BLOCKED: 1006,
  WEB_PAYMENTS_DISABLED: 1007,
};
const DANKORT_POS_CODE = 'K005K0K00130';

/**
 * A tiny PSP: acks callbacks at once, then authorizes at the sandbox acquirer and PATCHes the
 * attempt, as the guide asks. A soft decline gets 1008 and a 3DS page that reports 1009,
 * redirects to done3ds.html and then re-authorizes with the 3DS result.
 */
export class MiniPsp {
  readonly received: { path: string; body: Json }[] = [];
  readonly errors: string[] = [];
  private server?: Server;
  url = '';

  constructor(
    private readonly client: SandboxClient,
    private readonly privateKey: KeyObject,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((request, response) => this.handle(request, response));
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const path = request.url ?? '';
      const raw = Buffer.concat(chunks).toString('utf8');
      const body: Json = raw ? JSON.parse(raw) : {};
      this.received.push({ path, body });
      if (path.startsWith('/3ds/')) return void this.guard(this.threeDs(path, response));
      response.end(); // ack first, work afterwards
      if (path.startsWith('/card/')) void this.guard(this.onCardData(body));
      if (path.startsWith('/token/')) void this.guard(this.onToken(body));
    });
  }

  private async onCardData(body: Json): Promise<void> {
    const plain = privateDecrypt(
      { key: this.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      Buffer.from(body.EncryptedCardData as string, 'base64'),
    ).toString('utf8');
    const [, number, month, year] =
      /"cardNumber":(\d+),"expiryMonth":(\d+),"expiryYear":(\d+)/.exec(plain) ?? [];
    const dankort = body.CardType === 'DANKORT';
    const card = { kind: 'pan', number, expiryMonth: Number(month), expiryYear: Number(year) };
    const ids = [body.PaymentId, body.AuthorizationAttemptId, body.CardType] as string[];
    await this.authorize(ids, card, {
      ...(dankort ? { posCode: DANKORT_POS_CODE, delegatedAuthentication: true } : {}),
    });
  }

  private async onToken(body: Json): Promise<void> {
    const visa = body.tokenMethod === 'VTS';
    const data = body.tokenData;
    const card = {
      kind: 'network-token',
      token: visa ? data.tokenInfo.token : data.token.paymentToken,
      expiryMonth: Number(
        visa ? data.tokenInfo.expirationDate.month : data.token.tokenExpirationMonth,
      ),
      expiryYear: Number(
        visa ? data.tokenInfo.expirationDate.year : data.token.tokenExpirationYear,
      ),
      cryptogram: visa ? data.cryptogramInfo.cryptogram : data.dynamicData.dynamicDataValue,
      eci: visa ? data.cryptogramInfo.eci : data.eci,
      tokenMethod: body.tokenMethod,
    };
    const ids = [body.paymentId, body.authorizationAttemptId, body.cardType] as string[];
    await this.authorize(ids, card, {
      delegatedAuthentication: body.isDelegatedAuthentication ?? true,
    });
  }

  /** The shopper completed the challenge: 1009, redirect to done3ds.html, re-authorize. */
  private async threeDs(path: string, response: ServerResponse): Promise<void> {
    const [, , paymentId, attemptId] = path.split('/');
    const retrying = { succeeded: false, reasonCode: 1009, reasonMessage: '3DS completed' };
    await this.patch(paymentId, attemptId, retrying);
    response.writeHead(302, { location: `${this.client.url}/done3ds.html` }).end();
    const callback = this.received.find(
      (r) => (r.body.AuthorizationAttemptId ?? r.body.authorizationAttemptId) === attemptId,
    );
    if (!callback) throw new Error(`no callback for ${attemptId}`);
    // authorize() sees the /3ds/ visit and adds the 3DS result.
    await (callback.path.startsWith('/token/')
      ? this.onToken(callback.body)
      : this.onCardData(callback.body));
  }

  private async authorize(ids: string[], card: Json, extra: Json): Promise<void> {
    const [paymentId, attemptId, cardType] = ids;
    const details = (await this.client.api('GET', `/api/v3/payments/${paymentId}`)).body;
    const threeDS = this.received.some((r) => r.path === `/3ds/${paymentId}/${attemptId}`);
    const reference = threeDS ? `${attemptId}-3ds` : attemptId;
    const request = {
      reference,
      merchantId: details.merchantId,
      amount: details.amount,
      currency: details.currencyCode,
      cardType,
      card,
      ...extra,
      ...(threeDS ? { threeDS: { cryptogram: 'AAABBBCCC=', eci: '05', version: '2.2.0' } } : {}),
    };
    const { body: result } = await this.client.call(
      'POST',
      '/acquirer/v1/authorizations',
      request,
      {
        'idempotency-key': reference,
      },
    );
    if (result.status === 'APPROVED') return this.patch(paymentId, attemptId, { succeeded: true });
    if (result.status === 'SOFT_DECLINED' && !threeDS) {
      return this.patch(paymentId, attemptId, {
        succeeded: false,
        reasonCode: 1008,
        reasonMessage: '3DS step-up required',
        threeDSecureUrl: `${this.url}/3ds/${paymentId}/${attemptId}`,
      });
    }
    const reasonCode = REASON_CODES[result.declineCode as string] ?? 1000;
    await this.patch(paymentId, attemptId, {
      succeeded: false,
      reasonCode,
      reasonMessage: String(result.declineCode),
    });
  }

  private async patch(paymentId: string, attemptId: string, body: Json): Promise<void> {
    const reply = await this.client.api(
      'PATCH',
      `/api/v1/payments/${paymentId}/authorizationattempts/${attemptId}`,
      withAcquirerFields(body),
    );
    if (reply.status !== 204) this.errors.push(`PATCH ${JSON.stringify(body)} → ${reply.status}`);
  }

  private async guard(work: Promise<void>): Promise<void> {
    await work.catch((error: unknown) => this.errors.push(String(error)));
  }
}
