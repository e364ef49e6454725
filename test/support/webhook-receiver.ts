import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  eventId: string;
  type: string;
  body: {
    id: string;
    type: string;
    channel: 'online' | 'in_store';
    paymentId: string | null;
    pointOfSaleId: string | null;
    data: Record<string, unknown>;
  };
  deliveryId: string;
  attempt: number;
  /** Both signatures verify under `secret`: Standard Webhooks (by its library) and the deprecated header. */
  signatureValid: boolean;
  status: number;
  raw: string;
  headers: IncomingHttpHeaders;
}

/**
 * A merchant's webhook endpoint on loopback: verifies the signatures the way a merchant would (the
 * `standardwebhooks` library on webhook-id/-timestamp/-signature, and the deprecated
 * `MobilePay-PSP-Signature` by hand: HMAC-SHA256 over `${t}.${raw body}` with the endpoint secret),
 * records every request, and can be told to fail the next requests.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private server: Server | undefined;
  private failNext = 0;
  secret = '';
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const status = this.failNext > 0 ? 500 : 200;
        if (this.failNext > 0) this.failNext -= 1;
        const body = JSON.parse(raw) as ReceivedWebhook['body'];
        this.received.push({
          eventId: body.id,
          type: body.type,
          body,
          deliveryId: String(request.headers['mobilepay-psp-delivery-id']),
          attempt: Number(request.headers['mobilepay-psp-delivery-attempt']),
          signatureValid:
            this.verifiesStandard(this.secret, raw, request.headers) &&
            this.verify(String(request.headers['mobilepay-psp-signature']), raw),
          status,
          raw,
          headers: request.headers,
        });
        response.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`;
  }

  failNextRequests(count: number): void {
    this.failNext = count;
  }

  ofType(type: string, paymentId: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.type === type && r.body.paymentId === paymentId);
  }

  /** Standard Webhooks, by its reference library (which also refuses a timestamp off by > 5 min). */
  verifiesStandard(secret: string, raw: string, headers: IncomingHttpHeaders): boolean {
    try {
      new Webhook(secret).verify(raw, headers as Record<string, string>);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The deprecated `t=<seconds>,v1=<hex>[,v1=<hex>…]`: one MAC must match under `secret` (default:
   * the receiver's) and the timestamp be recent (5 minutes).
   */
  verify(header: string, raw: string, secret = this.secret): boolean {
    const parts = header.split(',').map((part) => part.split('='));
    const t = Number(parts.find(([key]) => key === 't')?.[1]);
    if (!Number.isFinite(t) || Math.abs(Date.now() / 1000 - t) > 300) return false;
    const expected = createHmac('sha256', secret).update(`${t}.${raw}`).digest();
    return parts
      .filter(([key]) => key === 'v1')
      .some(([, mac]) => {
        const given = Buffer.from(String(mac), 'hex');
        return given.length === expected.length && timingSafeEqual(given, expected);
      });
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
