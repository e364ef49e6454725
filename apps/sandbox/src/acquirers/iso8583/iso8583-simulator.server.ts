import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Iso8583 } from '@app/acquirers';
import { Iso8583SimulatorService } from './iso8583-simulator.service';
import { Iso8583SimulatorStore } from './iso8583-simulator.store';

export const ISO8583_SIMULATOR_OPTIONS = Symbol('ISO8583_SIMULATOR_OPTIONS');

export interface Iso8583SimulatorOptions {
  host: string;
  /** 0 asks the OS for a free port. */
  port: number;
}

/**
 * The host's TCP side: 2-byte length-prefixed ISO 8583 frames on a real socket, answered in the
 * order they are ready (not necessarily the order received), with the faults the tests ask for.
 */
@Injectable()
export class Iso8583SimulatorServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Iso8583Simulator');
  private readonly server: Server = createServer((socket) => this.accept(socket));
  private readonly sockets = new Set<Socket>();

  constructor(
    @Inject(ISO8583_SIMULATOR_OPTIONS) private readonly options: Iso8583SimulatorOptions,
    private readonly host: Iso8583SimulatorService,
    private readonly store: Iso8583SimulatorStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const { port } = this.address();
    this.logger.log(`ISO 8583 acquirer simulator listening on ${this.options.host}:${port}`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  address(): { host: string; port: number } {
    return { host: this.options.host, port: (this.server.address() as AddressInfo).port };
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', (error) => this.logger.warn(`connection error: ${error.message}`));
    const decoder = new Iso8583.FrameDecoder();
    socket.on('data', (chunk: Buffer) => {
      for (const bytes of decoder.push(chunk)) void this.receive(socket, bytes);
    });
  }

  private async receive(socket: Socket, bytes: Buffer): Promise<void> {
    let request: Iso8583.IsoMessage;
    try {
      request = Iso8583.decodeMessage(bytes, Iso8583.NETS_MESSAGE_SPEC);
    } catch (error) {
      this.logger.warn(`undecodable message dropped: ${(error as Error).message}`);
      return;
    }
    const behaviour = this.store.takeBehaviour();
    if (behaviour.mode === 'stall') return;
    const answer = this.host.handle(request);
    if (!answer || behaviour.mode === 'drop-reply-after-acting') return;
    if (behaviour.mode === 'close-after-acting') {
      socket.destroy();
      return;
    }
    const delayMs = behaviour.delayMs + answer.delayMs;
    if (delayMs > 0) await sleep(delayMs, undefined, { ref: false });
    if (!socket.destroyed)
      socket.write(Iso8583.frame(Iso8583.encodeMessage(answer.reply, Iso8583.NETS_MESSAGE_SPEC)));
  }
}
