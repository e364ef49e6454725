import { deflateSync, crc32 } from 'node:zlib';
import { imageInfo } from './image-dimensions';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc((width + 1) * height))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function jpeg(width: number, height: number, { withApp = true } = {}): Buffer {
  const app0 = Buffer.from([
    0xff,
    0xe0,
    0x00,
    0x10,
    ...Buffer.from('JFIF\0'),
    1,
    1,
    0,
    0,
    1,
    0,
    1,
    0,
    0,
  ]);
  const dht = Buffer.from([0xff, 0xc4, 0x00, 0x04, 0x00, 0x00]);
  const sof = Buffer.from([
    0xff,
    0xc2,
    0x00,
    0x0b,
    8,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    1,
    1,
    0x11,
    0,
  ]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    withApp ? app0 : Buffer.alloc(0),
    dht,
    sof.subarray(0, 13),
  ]);
}

describe('imageInfo', () => {
  it('reads a PNG size from IHDR', () => {
    expect(imageInfo(png(250, 250))).toEqual({ format: 'png', width: 250, height: 250 });
    expect(imageInfo(png(251, 17))).toEqual({ format: 'png', width: 251, height: 17 });
  });

  it('reads a JPEG size from its start-of-frame, skipping other segments (DHT is not a SOF)', () => {
    expect(imageInfo(jpeg(250, 250))).toEqual({ format: 'jpeg', width: 250, height: 250 });
    expect(imageInfo(jpeg(640, 480, { withApp: false }))).toEqual({
      format: 'jpeg',
      width: 640,
      height: 480,
    });
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['a GIF', Buffer.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0xfa, 0, 0xfa, 0])],
    ['a PNG cut inside IHDR', png(250, 250).subarray(0, 20)],
    ['a JPEG without a frame', Buffer.from([0xff, 0xd8, 0xff, 0xd9])],
    ['a JPEG cut inside a segment', jpeg(250, 250).subarray(0, 25)],
    ['text', Buffer.from('<html>not an image</html>')],
  ])('returns undefined for %s', (_name, bytes) => {
    expect(imageInfo(bytes)).toBeUndefined();
  });
});
