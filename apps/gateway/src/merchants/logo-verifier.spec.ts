import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import type { AppConfig } from '@app/config';
import { DomainError } from '@app/domain';
import { startLogoServer, type LogoServer } from '../../../../scripts/stack/logo-server';
import { LogoVerifier } from './logo-verifier';

function verifier(
  logoCheck: 'strict' | 'off',
  env: AppConfig['env'] = 'development',
  publicAddressesOnly = false,
): LogoVerifier {
  return new LogoVerifier({
    env,
    merchantApi: { logoCheck },
    outbound: { publicAddressesOnly, allowLoopbackHttp: env !== 'production' },
  } as AppConfig);
}

/** A TCP listener that only counts who connects: anything sent to it would be counted. */
async function startTrap(): Promise<{
  port: number;
  connections: () => number;
  close(): Promise<void>;
}> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.destroy();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the logo to be refused');
}

describe('LogoVerifier', () => {
  let logos: LogoServer;

  beforeAll(async () => {
    logos = await startLogoServer();
  });

  afterAll(async () => {
    await logos.close();
  });

  it.each(['/logo-250.png', '/logo-250.jpg'])('accepts a 250×250 image: %s', async (path) => {
    await expect(verifier('strict').verify(`${logos.url}${path}`)).resolves.toBe(true);
  });

  it.each([
    ['/logo-100.png', /250×250 pixels, is 100×100/],
    ['/logo-as-text.png', /content type image\/png or image\/jpeg/],
    ['/logo-png-as-jpeg.jpg', /PNG served as image\/jpeg/],
    ['/logo-huge.png', /larger than 1 MB/],
    ['/logo-moved.png', /answered HTTP 302/],
    ['/missing.png', /answered HTTP 404/],
  ])('refuses %s', async (path, message) => {
    const error = await failure(verifier('strict').verify(`${logos.url}${path}`));
    expect(error.code).toBe('invalid_logo');
    expect(error.message).toMatch(message);
  });

  it('refuses a logo that cannot be fetched', async () => {
    const error = await failure(verifier('strict').verify('http://127.0.0.1:1/logo.png'));
    expect(error.message).toMatch(/could not be fetched/);
  });

  it('requires https, allowing http to loopback only outside production', async () => {
    const http = `${logos.url}/logo-250.png`;
    expect((await failure(verifier('strict', 'production').verify(http))).message).toMatch(
      /must be an https URL/,
    );
    expect(
      (await failure(verifier('off').verify('http://shop.example.dk/logo.png'))).message,
    ).toMatch(/must be an https URL/);
    expect((await failure(verifier('off').verify('not a url'))).message).toMatch(/not a URL/);
  });

  describe('the outbound address policy (OUTBOUND_PUBLIC_ADDRESSES_ONLY)', () => {
    let trap: Awaited<ReturnType<typeof startTrap>>;
    let redirector: HttpServer;
    let redirectorUrl: string;

    beforeAll(async () => {
      trap = await startTrap();
      redirector = createHttpServer((_request, response) => {
        response.writeHead(302, { location: `https://127.0.0.1:${trap.port}/logo.png` }).end();
      });
      await new Promise<void>((done) => redirector.listen(0, '127.0.0.1', done));
      redirectorUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await trap.close();
      await new Promise<void>((done) => redirector.close(() => done()));
    });

    it('the trap counts a connection when the policy is off (it can tell)', async () => {
      const before = trap.connections();
      const error = await failure(
        verifier('strict', 'test', false).verify(`https://127.0.0.1:${trap.port}/logo.png`),
      );
      expect(error.message).toMatch(/could not be fetched/);
      expect(trap.connections()).toBe(before + 1);
    });

    it.each([
      (port: number) => `https://127.0.0.1:${port}/internal/admin?x=1`,
      (port: number) => `https://localhost:${port}/logo.png`,
      (port: number) => `https://[::1]:${port}/logo.png`,
      (port: number) => `https://[::ffff:7f00:1]:${port}/logo.png`,
      () => 'https://10.0.0.1/logo.png',
      () => 'https://192.168.1.20/logo.png',
      () => 'https://169.254.169.254/latest/meta-data',
      () => 'https://[fe80::1]/logo.png',
      () => 'https://[fec0::1]/logo.png',
      () => 'https://192.88.99.1/logo.png',
    ])('refuses %p before sending anything', async (urlFor) => {
      const before = trap.connections();
      const error = await failure(verifier('strict', 'test', true).verify(urlFor(trap.port)));
      expect(error).toMatchObject({
        code: 'invalid_logo',
        message: 'logoUrl must point to a public address',
      });
      expect(trap.connections()).toBe(before);
    });

    it('follows no redirect, so none leads inward', async () => {
      const before = trap.connections();
      const error = await failure(verifier('strict', 'test', true).verify(`${redirectorUrl}/logo`));
      expect(error.message).toBe(
        'logoUrl answered HTTP 302, expected 200 (redirects are not followed)',
      );
      expect(trap.connections()).toBe(before);
    });

    it.each([
      ['https://93.184.215.14\\@127.0.0.1/logo.png', /backslash/],
      ['https://shop.dk@127.0.0.1/logo.png', /credentials/],
      ['https://%31%32%37.0.0.1/logo.png', /percent-encoded host/],
      ['https://0x7f.0.0.1/logo.png', /non-canonical/],
    ])('refuses the ambiguous URL %s at input', async (url, message) => {
      const error = await failure(verifier('off', 'test', true).verify(url));
      expect(error.code).toBe('invalid_logo');
      expect(error.message).toMatch(message);
    });
  });

  it('skips the fetch when checks are off, but still checks the URL', async () => {
    await expect(verifier('off').verify('https://shop.example.dk/none.png')).resolves.toBe(false);
  });
});
