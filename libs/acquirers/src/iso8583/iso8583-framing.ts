import { Iso8583FormatError } from './iso8583-codec';

/** Largest message a 2-byte length prefix can announce. */
export const MAX_FRAME_BYTES = 0xffff;

/** Prefixes a message with its length as 2 bytes, big-endian (the header excluded). */
export function frame(message: Buffer): Buffer {
  if (message.length === 0 || message.length > MAX_FRAME_BYTES) {
    throw new Iso8583FormatError(`message of ${message.length} bytes cannot be framed`);
  }
  const header = Buffer.alloc(2);
  header.writeUInt16BE(message.length);
  return Buffer.concat([header, message]);
}

/**
 * Cuts a TCP byte stream back into messages: a chunk may hold part of a frame or several frames.
 * Zero-length frames are skipped (some hosts send them as keep-alives).
 */
export class FrameDecoder {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    const messages: Buffer[] = [];
    while (this.buffered.length >= 2) {
      const size = this.buffered.readUInt16BE(0);
      if (this.buffered.length < 2 + size) break;
      if (size > 0) messages.push(Buffer.from(this.buffered.subarray(2, 2 + size)));
      this.buffered = this.buffered.subarray(2 + size);
    }
    return messages;
  }
}
