import { Iso8583FormatError } from './iso8583-codec';
import { FrameDecoder, frame } from './iso8583-framing';

describe('2-byte length-prefixed framing', () => {
  it('prefixes the length big-endian', () => {
    expect(frame(Buffer.alloc(258, 1)).subarray(0, 2).toString('hex')).toBe('0102');
  });

  it('refuses empty and oversized messages', () => {
    expect(() => frame(Buffer.alloc(0))).toThrow(Iso8583FormatError);
    expect(() => frame(Buffer.alloc(65_536))).toThrow(Iso8583FormatError);
  });

  it('reassembles frames split across chunks and splits frames sharing a chunk', () => {
    const stream = Buffer.concat([frame(Buffer.from('first')), frame(Buffer.from('second'))]);
    const decoder = new FrameDecoder();
    const received: string[] = [];
    for (let i = 0; i < stream.length; i += 3) {
      received.push(...decoder.push(stream.subarray(i, i + 3)).map((m) => m.toString()));
    }
    expect(received).toEqual(['first', 'second']);
    expect(new FrameDecoder().push(stream).map((m) => m.toString())).toEqual(['first', 'second']);
  });

  it('skips zero-length keep-alive frames', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(Buffer.concat([Buffer.from([0, 0]), frame(Buffer.from('x'))]))).toEqual([
      Buffer.from('x'),
    ]);
  });
});
