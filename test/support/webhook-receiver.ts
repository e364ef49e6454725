import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';

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
  signatureValid: boolean;
  status: number;
}

/**
 * A merchant's webhook endpoint on loopback: verifies the signature the way a merchant would
 * (HMAC-SHA256 over `${t}.${raw body}` with the endpoint secret), records every request, and can
 * be told to fail the next requests.
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
          signatureValid: this.verify(String(request.headers['mobilepay-psp-signature']), raw),
          status,
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

  /** `t=<seconds>,v1=<hex>`: the MAC must match and the timestamp be recent (5 minutes). */
  verify(header: string, raw: string): boolean {
    const parts = Object.fromEntries(header.split(',').map((part) => part.split('=')));
    const t = Number(parts.t);
    if (!Number.isFinite(t) || Math.abs(Date.now() / 1000 - t) > 300 || !parts.v1) return false;
    const expected = createHmac('sha256', this.secret).update(`${t}.${raw}`).digest();
    const given = Buffer.from(String(parts.v1), 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
