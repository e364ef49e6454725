import { constants, type KeyObject, privateDecrypt } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: Record<string, unknown>;
  at: number;
}

/**
 * A PSP stand-in: records every callback and answers with the next scripted status (then 200).
 * `decrypt` opens EncryptedCardData exactly as a PSP must (OAEP, SHA-256, MGF1-SHA-256).
 */
export class CallbackReceiver {
  readonly received: ReceivedCallback[] = [];
  private script: number[] = [];
  private server?: Server;
  url = '';

  constructor(private readonly privateKey?: KeyObject) {}

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        this.received.push({
          path: request.url ?? '',
          headers: request.headers,
          raw,
          body: JSON.parse(raw) as Record<string, unknown>,
          at: Date.now(),
        });
        response.statusCode = this.script.shift() ?? 200;
        response.end();
      });
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next callbacks get these statuses, in order. */
  respondWith(...statuses: number[]): void {
    this.script = [...statuses];
  }

  on(path: string): ReceivedCallback[] {
    return this.received.filter((c) => c.path === path);
  }

  decrypt(callback: ReceivedCallback): string {
    if (!this.privateKey) throw new Error('no private key');
    return privateDecrypt(
      { key: this.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      Buffer.from(callback.body.EncryptedCardData as string, 'base64'),
    ).toString('utf8');
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
