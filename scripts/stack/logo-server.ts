import { createServer, type Server } from 'node:http';
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real, decodable PNG: `width`×`height`, 8-bit greyscale, one colour. */
export function pngImage(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width, 0x5a)]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: height }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The header of a baseline JPEG of `width`×`height` (enough for a size check, not for display). */
export function jpegHeader(width: number, height: number): Buffer {
  const app0 = [0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const sof0 = [0xff, 0xc0, 0x00, 0x0b, 8, height >> 8, height & 0xff, width >> 8, width & 0xff];
  return Buffer.from([0xff, 0xd8, ...app0, ...sof0, 1, 1, 0x11, 0, 0xff, 0xd9]);
}

interface LogoRoute {
  status?: number;
  contentType: string;
  body: Buffer;
  headers?: Record<string, string>;
}

const ROUTES: Record<string, LogoRoute> = {
  '/logo-250.png': { contentType: 'image/png', body: pngImage(250, 250) },
  '/logo-250.jpg': { contentType: 'image/jpeg', body: jpegHeader(250, 250) },
  '/logo-100.png': { contentType: 'image/png', body: pngImage(100, 100) },
  '/logo-as-text.png': { contentType: 'text/plain', body: pngImage(250, 250) },
  '/logo-png-as-jpeg.jpg': { contentType: 'image/jpeg', body: pngImage(250, 250) },
  '/logo-huge.png': {
    contentType: 'image/png',
    body: Buffer.concat([pngImage(250, 250), Buffer.alloc(1_100_000)]),
  },
  '/logo-moved.png': {
    status: 302,
    contentType: 'text/plain',
    body: Buffer.alloc(0),
    headers: { location: '/logo-250.png' },
  },
};

export interface LogoServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves merchant logos on loopback for the demo and the tests: the guide's 250×250 PNG and JPEG
 * at `/logo-250.png` / `/logo-250.jpg`, and a few wrong ones (size, content type, too large,
 * redirect). Plain http is accepted for loopback URLs outside production.
 */
export function startLogoServer(): Promise<LogoServer> {
  const server: Server = createServer((request, response) => {
    const route = ROUTES[(request.url ?? '/').split('?')[0]];
    if (!route) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response
      .writeHead(route.status ?? 200, { 'content-type': route.contentType, ...route.headers })
      .end(route.body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
