import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NonPublicAddressError } from '@app/domain';
import { postJson } from './webhook-http';

describe('webhook HTTP: the address is checked where the connection is made', () => {
  let server: Server;
  let port: number;
  const received: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push(body);
        response.writeHead(request.url === '/moved' ? 302 : 204).end();
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((done) => server.close(() => done()));
  });

  const post = (url: string, publicOnly: boolean) =>
    postJson(new URL(url), { 'content-type': 'application/json' }, '{"n":1}', {
      timeoutMs: 2_000,
      policy: { publicAddressesOnly: publicOnly, allowLoopbackHttp: true },
    });

  it('posts and answers the status code; a redirect is not followed', async () => {
    await expect(post(`http://127.0.0.1:${port}/hooks`, false)).resolves.toBe(204);
    await expect(post(`http://localhost:${port}/moved`, false)).resolves.toBe(302);
    expect(received).toEqual(['{"n":1}', '{"n":1}']);
  });

  it('refuses a name that resolves to a non-public address, without sending anything', async () => {
    const before = received.length;
    // https: the development exception (plain http to loopback) does not apply.
    await expect(post(`https://localhost:${port}/hooks`, true)).rejects.toBeInstanceOf(
      NonPublicAddressError,
    );
    await expect(post(`https://127.0.0.1:${port}/hooks`, true)).rejects.toBeInstanceOf(
      NonPublicAddressError,
    );
    await expect(post(`https://[::1]:${port}/hooks`, true)).rejects.toBeInstanceOf(
      NonPublicAddressError,
    );
    expect(received.length).toBe(before);
  });

  it('gives up after the timeout', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    const silentPort = (silent.address() as AddressInfo).port;
    try {
      const error = await postJson(new URL(`http://127.0.0.1:${silentPort}/`), {}, '{}', {
        timeoutMs: 200,
        policy: { publicAddressesOnly: false, allowLoopbackHttp: true },
      }).then(
        () => null,
        (e: unknown) => e as { name?: string },
      );
      expect(['AbortError', 'TimeoutError']).toContain(error?.name);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((done) => silent.close(() => done()));
    }
  });
});
