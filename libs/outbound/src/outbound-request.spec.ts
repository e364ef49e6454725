import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { type AddressInfo, connect, createServer, type Server } from 'node:net';
import { NonPublicAddressError } from '@app/domain';
import {
  guardedLookup,
  outboundRequest,
  OutboundUrlError,
  type Resolver,
  ResponseTooLargeError,
} from './outbound-request';

const DEV = { publicAddressesOnly: true, allowLoopbackHttp: true };

describe('outboundRequest: the one way to a host a merchant named', () => {
  let trap: Server;
  let trapPort: number;
  let connections = 0;
  let web: HttpServer;
  let webUrl: string;

  beforeAll(async () => {
    trap = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((done) => trap.listen(0, '127.0.0.1', done));
    trapPort = (trap.address() as AddressInfo).port;
    web = createHttpServer((request, response) => {
      if (request.url === '/redirect') {
        response.writeHead(302, { location: `https://127.0.0.1:${trapPort}/` }).end();
      } else if (request.url === '/big') {
        response.writeHead(200, { 'content-length': '2048' }).end(Buffer.alloc(2048));
      } else if (request.url === '/big-chunked') {
        response.writeHead(200);
        response.write(Buffer.alloc(700));
        response.end(Buffer.alloc(700));
      } else {
        response.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
      }
    });
    await new Promise<void>((done) => web.listen(0, '127.0.0.1', done));
    webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((done) => trap.close(() => done()));
    await new Promise<void>((done) => web.close(() => done()));
  });

  const get = (url: string, maxResponseBytes = 1024) =>
    outboundRequest(url, { method: 'GET', timeoutMs: 2_000, maxResponseBytes }, DEV);

  it('reads the answer within its limit', async () => {
    const response = await get(`${webUrl}/`);
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('hello');
    await expect(get(`${webUrl}/big`)).rejects.toBeInstanceOf(ResponseTooLargeError);
    await expect(get(`${webUrl}/big-chunked`)).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it('refuses loopback by name and by literal before connecting', async () => {
    const before = connections;
    for (const host of ['localhost', '127.0.0.1', '[::1]', '[::ffff:7f00:1]']) {
      await expect(get(`https://${host}:${trapPort}/`)).rejects.toBeInstanceOf(
        NonPublicAddressError,
      );
    }
    expect(connections).toBe(before);
    // The same request without the policy does reach the trap: it can tell.
    await expect(
      outboundRequest(
        `https://127.0.0.1:${trapPort}/`,
        { method: 'GET', timeoutMs: 2_000, maxResponseBytes: 1 },
        { publicAddressesOnly: false, allowLoopbackHttp: true },
      ),
    ).rejects.toThrow();
    expect(connections).toBe(before + 1);
  });

  it('answers a redirect as it is: its target is never contacted', async () => {
    const before = connections;
    const response = await get(`${webUrl}/redirect`);
    expect(response.status).toBe(302);
    expect(connections).toBe(before);
  });

  it('refuses an ambiguous URL without contacting either reading of it', async () => {
    const before = connections;
    await expect(get(`https://93.184.215.14\\@127.0.0.1:${trapPort}/`)).rejects.toBeInstanceOf(
      OutboundUrlError,
    );
    expect(connections).toBe(before);
  });

  it('pins the connection to what its own lookup checked (no DNS rebinding)', async () => {
    // A name that answers a public address first (what an ahead-of-time check would see), then
    // loopback (what a second lookup by the connection would get).
    let asked = 0;
    const rebinding: Resolver = (_host, _options, callback) => {
      asked++;
      callback(null, [{ address: asked === 1 ? '93.184.216.34' : '127.0.0.1', family: 4 }]);
    };
    rebinding('rebind.example', { all: true }, () => undefined);
    const before = connections;
    const error = await new Promise<unknown>((resolve) => {
      const socket = connect({
        host: 'rebind.example',
        port: trapPort,
        lookup: guardedLookup(true, rebinding),
      });
      socket.on('error', resolve);
      socket.on('connect', () => resolve(null));
    });
    expect(error).toBeInstanceOf(NonPublicAddressError);
    expect(asked).toBe(2);
    expect(connections).toBe(before);
  });
});
