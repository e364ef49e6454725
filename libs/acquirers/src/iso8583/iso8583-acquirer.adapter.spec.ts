import { createServer, type Server, type Socket } from 'node:net';
import { freePort } from '../../../../scripts/stack/stack';
import type { AuthorizationRequest } from '../acquirer-adapter';
import { Iso8583AcquirerAdapter } from './iso8583-acquirer.adapter';
import { decodeMessage, encodeMessage, type IsoMessage } from './iso8583-codec';
import { NETS_MESSAGE_SPEC } from './iso8583-field-spec';
import { FrameDecoder, frame } from './iso8583-framing';

type Responder = (request: IsoMessage, socket: Socket) => void;

/** The refused-connect test's first reconnect delay. */
const BACKOFF_MS = 1_000;

/** A bare TCP host on an ephemeral port, answering as each test scripts it. */
class FakeHost {
  readonly received: IsoMessage[] = [];
  connections = 0;
  responder: Responder = () => undefined;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server = createServer((socket) => {
    this.connections += 1;
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    const decoder = new FrameDecoder();
    socket.on('data', (chunk: Buffer) => {
      for (const bytes of decoder.push(chunk)) {
        const request = decodeMessage(bytes, NETS_MESSAGE_SPEC);
        this.received.push(request);
        this.responder(request, socket);
      }
    });
  });

  async start(port = 0): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return (this.server.address() as { port: number }).port;
  }

  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async stop(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function answer(request: IsoMessage, fields: Record<number, string> = {}): Buffer {
  const mti = `${request.mti.slice(0, 2)}${Number(request.mti[2]) + 1}${request.mti[3]}`;
  const { 4: amount, 11: stan, 37: rrn, 49: currency } = request.fields;
  const reply = {
    mti,
    fields: { 4: amount, 11: stan, 37: rrn, 39: '00', 49: currency, ...fields },
  };
  return frame(encodeMessage(reply, NETS_MESSAGE_SPEC));
}

const request = (reference: string): AuthorizationRequest => ({
  reference,
  acquirerMerchantId: '1234567',
  amount: 5_000n,
  currency: 'DKK',
  cardType: 'VISA-CREDIT',
  card: { kind: 'pan', number: '4111111111111111', expiryMonth: 12, expiryYear: 2099 },
});

describe('Iso8583AcquirerAdapter (real TCP, scripted host)', () => {
  const host = new FakeHost();
  const adapters: Iso8583AcquirerAdapter[] = [];
  let port: number;

  const adapter = (timeoutMs = 500) => {
    const created = new Iso8583AcquirerAdapter({
      host: '127.0.0.1',
      port,
      timeoutMs,
      vatNumber: 'DK20016175',
      terminalId: 'T1',
      reconnect: { initialMs: 200, maxMs: 1_000 },
      logger: { warn: () => undefined },
    });
    adapters.push(created);
    return created;
  };

  beforeAll(async () => {
    port = await host.start();
  });

  afterEach(async () => {
    await Promise.all(adapters.splice(0).map((a) => a.close()));
    host.received.length = 0;
    host.responder = () => undefined;
  });

  afterAll(() => host.stop());

  it('keeps one connection for many requests', async () => {
    host.responder = (req, socket) => socket.write(answer(req));
    const sut = adapter();
    const before = host.connections;
    for (const reference of ['a', 'b', 'c']) {
      expect((await sut.authorize(request(reference))).kind).toBe('approved');
    }
    expect(host.connections - before).toBe(1);
  });

  it('matches answers that arrive out of order, split across TCP chunks', async () => {
    const held: Buffer[] = [];
    host.responder = (req, socket) => {
      held.push(answer(req));
      if (held.length < 2) return;
      const bytes = Buffer.concat(held.reverse());
      for (let i = 0; i < bytes.length; i += 7) socket.write(bytes.subarray(i, i + 7));
    };
    const sut = adapter();
    const [first, second] = await Promise.all([
      sut.authorize(request('first')),
      sut.authorize({ ...request('second'), amount: 7_000n }),
    ]);
    expect(first).toMatchObject({ kind: 'approved', amount: 5_000n });
    expect(second).toMatchObject({ kind: 'approved', amount: 7_000n });
  });

  it('returns unknown for an answer with the right STAN but another RRN', async () => {
    host.responder = (req, socket) => socket.write(answer(req, { 37: 'AAAAAAAAAAAA' }));
    expect(await adapter().authorize(request('x'))).toEqual({
      kind: 'unknown',
      error: 'answer carried another RRN than the request',
    });
  });

  it('drops a late answer and still serves the next request', async () => {
    host.responder = (req, socket) => setTimeout(() => socket.write(answer(req)), 300);
    const sut = adapter(100);
    expect((await sut.authorize(request('late'))).kind).toBe('unknown');
    host.responder = (req, socket) => socket.write(answer(req));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await sut.authorize(request('next'))).kind).toBe('approved');
  });

  it('returns unknown when the connection drops after sending, and reconnects at once', async () => {
    host.responder = () => host.dropConnections();
    const sut = adapter();
    expect(await sut.authorize(request('dropped'))).toEqual({
      kind: 'unknown',
      error: 'connection lost after the request was sent',
    });
    host.responder = (req, socket) => socket.write(answer(req));
    expect((await sut.authorize(request('after'))).kind).toBe('approved');
  });

  it('backs off after a refused connect (not-sent at once), then reconnects', async () => {
    // Below the ephemeral range: no outbound connection can take it before the host comes up.
    const downPort = await freePort();
    const sut = new Iso8583AcquirerAdapter({
      host: '127.0.0.1',
      port: downPort,
      timeoutMs: 500,
      vatNumber: 'DK20016175',
      terminalId: 'T1',
      // Long enough that r2, sent right after r1, falls inside the backoff even on a slow machine.
      reconnect: { initialMs: BACKOFF_MS, maxMs: 2 * BACKOFF_MS },
      logger: { warn: () => undefined },
    });
    adapters.push(sut);
    expect(await sut.authorize(request('r1'))).toEqual({
      kind: 'not-sent',
      error: expect.stringContaining('ECONNREFUSED'),
    });
    const second = await sut.authorize(request('r2'));
    expect(second).toEqual({ kind: 'not-sent', error: expect.stringMatching(/next attempt in/) });
    const up = new FakeHost();
    up.responder = (req, socket) => socket.write(answer(req));
    await up.start(downPort);
    try {
      await new Promise((resolve) => setTimeout(resolve, BACKOFF_MS + 200));
      expect((await sut.authorize(request('r3'))).kind).toBe('approved');
    } finally {
      await sut.close();
      await up.stop();
    }
  });

  it('returns not-sent, writing nothing, for a request the codec refuses', async () => {
    const result = await adapter().authorize({
      ...request('bad'),
      acquirerMerchantId: 'x'.repeat(16),
    });
    expect(result).toEqual({ kind: 'not-sent', error: expect.stringContaining('field 42') });
    expect(host.received).toHaveLength(0);
  });

  it('sends the amount it authorized and the original STAN in a later reversal', async () => {
    host.responder = (req, socket) => socket.write(answer(req));
    const sut = adapter();
    await sut.authorize(request('rev'));
    expect(await sut.reverse('rev')).toEqual({ kind: 'reversed' });
    const [authorization, reversal] = host.received;
    expect(reversal.mti).toBe('0400');
    expect(reversal.fields[4]).toBe('000000005000');
    expect(reversal.fields[37]).toBe(authorization.fields[37]);
    expect(reversal.fields[90].slice(0, 10)).toBe(`0100${authorization.fields[11]}`);
  });

  it('ends requests in flight as unknown when closed', async () => {
    const sut = adapter(5_000);
    const pending = sut.authorize(request('closing'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await sut.close();
    expect((await pending).kind).toBe('unknown');
  });
});
