import { connect, type Socket } from 'node:net';
import type { LoggerService } from '@nestjs/common';
import { decodeMessage, encodeMessage, type IsoMessage } from './iso8583-codec';
import type { MessageSpec } from './iso8583-field-spec';
import { FrameDecoder, frame } from './iso8583-framing';

export interface Iso8583ConnectionOptions {
  host: string;
  port: number;
  spec: MessageSpec;
  /** Longest wait for the TCP handshake of one attempt. */
  connectTimeoutMs: number;
  /** Delay before the next attempt after a failed one: doubles from `initialMs` up to `maxMs`. */
  reconnect: { initialMs: number; maxMs: number };
  logger: Pick<LoggerService, 'warn'>;
}

/**
 * What became of one request. `not-sent`: no byte of it reached the socket, so sending it again
 * cannot act twice. `unknown`: it was written and no answer came (timeout, connection lost).
 */
export type Exchange =
  | { kind: 'reply'; message: IsoMessage }
  | { kind: 'not-sent'; error: string }
  | { kind: 'unknown'; error: string };

interface Pending {
  socket: Socket;
  rrn: string | undefined;
  settle(outcome: Exchange): void;
}

/**
 * One persistent TCP connection to the acquirer host, shared by concurrent requests: each answer
 * is matched to its request by response MTI + STAN (field 11) and must carry the same RRN
 * (field 37). A lost connection is re-opened at once, then with backoff while attempts fail.
 */
export class Iso8583Connection {
  private socket?: Socket;
  private connecting?: Promise<Socket>;
  private failures = 0;
  private retryAt = 0;
  private reconnectTimer?: NodeJS.Timeout;
  private closed = false;
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly options: Iso8583ConnectionOptions) {}

  async exchange(request: IsoMessage, timeoutMs: number): Promise<Exchange> {
    const deadline = Date.now() + timeoutMs;
    let bytes: Buffer;
    try {
      bytes = frame(encodeMessage(request, this.options.spec));
    } catch (error) {
      return { kind: 'not-sent', error: `request cannot be encoded: ${describeError(error)}` };
    }
    const key = keyOf(responseMti(request.mti), request.fields[11]);
    if (this.pending.has(key)) return { kind: 'not-sent', error: 'STAN already in flight' };
    let socket: Socket;
    try {
      socket = await this.connected(deadline);
    } catch (error) {
      return { kind: 'not-sent', error: `acquirer unreachable: ${describeError(error)}` };
    }
    if (!socket.writable || this.pending.has(key)) {
      return { kind: 'not-sent', error: 'connection lost before the request was written' };
    }
    return new Promise<Exchange>((resolve) => {
      const timer = setTimeout(
        () => settle({ kind: 'unknown', error: 'no answer within the timeout' }),
        Math.max(0, deadline - Date.now()),
      );
      const settle = (outcome: Exchange) => {
        clearTimeout(timer);
        this.pending.delete(key);
        resolve(outcome);
      };
      this.pending.set(key, { socket, rrn: request.fields[37], settle });
      socket.write(bytes);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    for (const pending of [...this.pending.values()]) {
      pending.settle({ kind: 'unknown', error: 'connection closed by us while waiting' });
    }
    const socket = this.socket ?? (await this.connecting?.catch(() => undefined));
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => socket.once('close', () => resolve()).destroy());
  }

  private async connected(deadline: number): Promise<Socket> {
    if (this.closed) throw new Error('adapter closed');
    if (this.socket) return this.socket;
    if (!this.connecting) {
      const wait = this.retryAt - Date.now();
      if (wait > 0) throw new Error(`connect failed ${this.failures}×, next attempt in ${wait} ms`);
      this.connecting = this.open();
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('connect timed out')), deadline - Date.now());
    });
    try {
      return await Promise.race([this.connecting, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private open(): Promise<Socket> {
    return new Promise<Socket>((resolve, reject) => {
      const socket = connect({ host: this.options.host, port: this.options.port });
      const timer = setTimeout(
        () => socket.destroy(new Error('connect timed out')),
        this.options.connectTimeoutMs,
      );
      const onError = (error: Error) => {
        clearTimeout(timer);
        this.connecting = undefined;
        this.failed();
        reject(error);
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        this.connecting = undefined;
        if (this.closed) {
          socket.destroy();
          reject(new Error('adapter closed'));
          return;
        }
        this.adopt(socket);
        resolve(socket);
      });
    });
  }

  private adopt(socket: Socket): void {
    this.socket = socket;
    this.failures = 0;
    this.retryAt = 0;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    const decoder = new FrameDecoder();
    socket.on('data', (chunk: Buffer) => decoder.push(chunk).forEach((m) => this.dispatch(m)));
    // 'close' follows every error; that is where the requests in flight are answered.
    socket.on('error', () => undefined);
    socket.once('close', () => {
      if (this.socket === socket) this.socket = undefined;
      for (const pending of [...this.pending.values()]) {
        if (pending.socket !== socket) continue;
        pending.settle({ kind: 'unknown', error: 'connection lost after the request was sent' });
      }
      this.scheduleReconnect(0);
    });
  }

  private dispatch(bytes: Buffer): void {
    let message: IsoMessage;
    try {
      message = decodeMessage(bytes, this.options.spec);
    } catch (error) {
      this.options.logger.warn(`undecodable ISO 8583 answer dropped: ${describeError(error)}`);
      return;
    }
    const pending = this.pending.get(keyOf(message.mti, message.fields[11]));
    if (!pending) {
      this.options.logger.warn(
        `unmatched ${message.mti} STAN ${message.fields[11] ?? '-'} dropped (late answer?)`,
      );
      return;
    }
    if (pending.rrn !== message.fields[37]) {
      pending.settle({ kind: 'unknown', error: 'answer carried another RRN than the request' });
      return;
    }
    pending.settle({ kind: 'reply', message });
  }

  private failed(): void {
    this.failures += 1;
    const { initialMs, maxMs } = this.options.reconnect;
    const delay = Math.min(maxMs, initialMs * 2 ** (this.failures - 1));
    this.retryAt = Date.now() + delay;
    this.scheduleReconnect(delay);
  }

  private scheduleReconnect(delayMs: number): void {
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.closed || this.socket || this.connecting) return;
      this.connecting = this.open();
      this.connecting.catch(() => undefined);
    }, delayMs);
    this.reconnectTimer.unref();
  }
}

/** 0100 → 0110, 0400 → 0410, 0220 → 0230, 0600 → 0610. */
export function responseMti(mti: string): string {
  return `${mti.slice(0, 2)}${Number(mti[2]) + 1}${mti[3]}`;
}

function keyOf(mti: string, stan: string | undefined): string {
  return `${mti}:${stan ?? ''}`;
}

/** Duck-typed: errors from `net` may come from another realm (e.g. under Jest). */
export function describeError(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : 'unknown error';
  return typeof code === 'string' && !text.includes(code) ? `${code} ${text}` : text;
}
