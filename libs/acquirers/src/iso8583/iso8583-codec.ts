import type { FieldSpec, MessageSpec } from './iso8583-field-spec';

/** One ISO 8583 message: the MTI and its data elements by number (binary fields as hex). */
export interface IsoMessage {
  mti: string;
  fields: Readonly<Record<number, string>>;
}

/**
 * A message that does not fit the spec. The message names the field but never quotes a value:
 * field 2 is a card number.
 */
export class Iso8583FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Iso8583FormatError';
  }
}

const CONTENT: Record<FieldSpec['content'], RegExp> = {
  n: /^\d*$/,
  an: /^[A-Za-z0-9]*$/,
  ans: /^[\x20-\x7e]*$/,
  b: /^(?:[0-9A-Fa-f]{2})*$/,
};

export function encodeMessage(message: IsoMessage, spec: MessageSpec): Buffer {
  if (!/^\d{4}$/.test(message.mti)) throw new Iso8583FormatError('MTI must be 4 digits');
  const numbers = Object.keys(message.fields)
    .map(Number)
    .sort((a, b) => a - b);
  const bitmap = Buffer.alloc(numbers.some((n) => n > 64) ? 16 : 8);
  if (bitmap.length === 16) bitmap[0] |= 0x80;
  const parts: Buffer[] = [];
  for (const number of numbers) {
    const field = specOf(spec, number);
    bitmap[Math.floor((number - 1) / 8)] |= 0x80 >> ((number - 1) % 8);
    parts.push(encodeField(number, field, message.fields[number]));
  }
  return Buffer.concat([Buffer.from(message.mti, 'ascii'), bitmap, ...parts]);
}

export function decodeMessage(bytes: Buffer, spec: MessageSpec): IsoMessage {
  const reader = new Reader(bytes);
  const mti = reader.take(4, 'MTI').toString('ascii');
  if (!/^\d{4}$/.test(mti)) throw new Iso8583FormatError('MTI must be 4 digits');
  const primary = reader.take(8, 'primary bitmap');
  const bitmap = primary[0] & 0x80 ? Buffer.concat([primary, reader.take(8, 'bitmap')]) : primary;
  const fields: Record<number, string> = {};
  for (let number = 2; number <= bitmap.length * 8; number++) {
    if (!(bitmap[Math.floor((number - 1) / 8)] & (0x80 >> ((number - 1) % 8)))) continue;
    fields[number] = decodeField(number, specOf(spec, number), reader);
  }
  if (!reader.done()) throw new Iso8583FormatError('trailing bytes after the last field');
  return { mti, fields };
}

function specOf(spec: MessageSpec, number: number): FieldSpec {
  const field = Number.isInteger(number) && number >= 2 && number <= 128 && spec.get(number);
  if (!field) throw new Iso8583FormatError(`field ${number} is not in the message spec`);
  return field;
}

function encodeField(number: number, field: FieldSpec, raw: string): Buffer {
  if (typeof raw !== 'string' || !CONTENT[field.content].test(raw)) {
    throw new Iso8583FormatError(`field ${number}: not ${field.content} content`);
  }
  const { length } = field;
  let value = raw;
  if (length.kind === 'fixed' && field.pad && value.length < length.size) {
    value =
      field.pad.side === 'left'
        ? value.padStart(length.size, field.pad.char)
        : value.padEnd(length.size, field.pad.char);
  }
  const units = field.content === 'b' ? value.length / 2 : value.length;
  const limit = length.kind === 'fixed' ? length.size : length.max;
  if (length.kind === 'fixed' ? units !== limit : units > limit) {
    throw new Iso8583FormatError(`field ${number}: length ${units} does not fit ${limit}`);
  }
  const body = toBytes(number, field, value);
  if (length.kind === 'fixed') return body;
  return Buffer.concat([prefix(units, length.kind === 'llvar' ? 2 : 3, field), body]);
}

function decodeField(number: number, field: FieldSpec, reader: Reader): string {
  const { length } = field;
  let units: number;
  if (length.kind === 'fixed') {
    units = length.size;
  } else {
    const digits = length.kind === 'llvar' ? 2 : 3;
    const raw =
      field.encoding === 'bcd'
        ? fromBcd(reader.take(Math.ceil(digits / 2), `field ${number} length`), digits)
        : reader.take(digits, `field ${number} length`).toString('ascii');
    if (!/^\d+$/.test(raw)) throw new Iso8583FormatError(`field ${number}: bad length prefix`);
    units = Number(raw);
    if (units > length.max) {
      throw new Iso8583FormatError(`field ${number}: length ${units} exceeds ${length.max}`);
    }
  }
  const size = field.encoding === 'bcd' ? Math.ceil(units / 2) : units;
  const bytes = reader.take(size, `field ${number}`);
  let value =
    field.encoding === 'bcd'
      ? fromBcd(bytes, units)
      : field.content === 'b'
        ? bytes.toString('hex').toUpperCase()
        : bytes.toString('latin1');
  if (field.pad?.side === 'right' && field.pad.char === ' ') value = value.replace(/ +$/, '');
  if (!CONTENT[field.content].test(value)) {
    throw new Iso8583FormatError(`field ${number}: not ${field.content} content`);
  }
  return value;
}

function toBytes(number: number, field: FieldSpec, value: string): Buffer {
  if ((field.encoding === 'binary') !== (field.content === 'b')) {
    throw new Iso8583FormatError(`field ${number}: binary encoding is for b content only`);
  }
  switch (field.encoding) {
    case 'ascii':
      return Buffer.from(value, 'ascii');
    case 'binary':
      return Buffer.from(value, 'hex');
    case 'bcd':
      if (field.content !== 'n') {
        throw new Iso8583FormatError(`field ${number}: BCD needs numeric content`);
      }
      return toBcd(value);
  }
}

function prefix(units: number, digits: number, field: FieldSpec): Buffer {
  const text = String(units).padStart(digits, '0');
  return field.encoding === 'bcd' ? toBcd(text) : Buffer.from(text, 'ascii');
}

/** Packs digits two to a byte, right-aligned: an odd count gets a leading zero nibble. */
export function toBcd(digits: string): Buffer {
  const even = digits.length % 2 ? `0${digits}` : digits;
  return Buffer.from(even, 'hex');
}

export function fromBcd(bytes: Buffer, digits: number): string {
  const hex = bytes.toString('hex');
  if (!/^\d*$/.test(hex)) throw new Iso8583FormatError('BCD byte with a nibble above 9');
  return hex.slice(hex.length - digits);
}

class Reader {
  private offset = 0;

  constructor(private readonly bytes: Buffer) {}

  take(size: number, what: string): Buffer {
    if (this.offset + size > this.bytes.length) {
      throw new Iso8583FormatError(`message truncated in ${what}`);
    }
    const slice = this.bytes.subarray(this.offset, this.offset + size);
    this.offset += size;
    return slice;
  }

  done(): boolean {
    return this.offset === this.bytes.length;
  }
}
