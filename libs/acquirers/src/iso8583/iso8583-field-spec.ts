/** What a field may contain: n digits, an letters/digits, ans printable ASCII, b bytes (hex here). */
export type FieldContent = 'n' | 'an' | 'ans' | 'b';

/** How the value's bytes are written: ASCII characters, packed BCD digits, or raw bytes. */
export type FieldEncoding = 'ascii' | 'bcd' | 'binary';

export type FieldLength =
  | { kind: 'fixed'; size: number }
  | { kind: 'llvar'; max: number }
  | { kind: 'lllvar'; max: number };

export interface FieldSpec {
  name: string;
  content: FieldContent;
  length: FieldLength;
  encoding: FieldEncoding;
  /** Fixed fields only: a shorter value is padded to `size` on this side with `char`. */
  pad?: { side: 'left' | 'right'; char: string };
}

/** A protocol profile: which fields exist and how each is laid out on the wire. */
export type MessageSpec = ReadonlyMap<number, FieldSpec>;

const fixedN = (name: string, size: number): FieldSpec => ({
  name,
  content: 'n',
  length: { kind: 'fixed', size },
  encoding: 'ascii',
  pad: { side: 'left', char: '0' },
});

const fixedAns = (name: string, size: number, content: FieldContent = 'ans'): FieldSpec => ({
  name,
  content,
  length: { kind: 'fixed', size },
  encoding: 'ascii',
  pad: { side: 'right', char: ' ' },
});

const lllvarAns = (name: string): FieldSpec => ({
  name,
  content: 'ans',
  length: { kind: 'lllvar', max: 999 },
  encoding: 'ascii',
});

/**
 * The Nets-style profile both the adapter and the sandbox simulator speak: ISO 8583:1987 message
 * types and field layout, all values ASCII, binary bitmaps, except field 22, which carries the
 * 12-character ISO 8583:1993 "point of service data code" — the form of the Dankort POS code
 * `K005K0K00130` the PSP guide asks for. Fields not listed here are refused by the codec.
 */
export const NETS_MESSAGE_SPEC: MessageSpec = new Map<number, FieldSpec>([
  [
    2,
    {
      name: 'primary account number',
      content: 'n',
      length: { kind: 'llvar', max: 19 },
      encoding: 'ascii',
    },
  ],
  [3, fixedN('processing code', 6)],
  [4, fixedN('amount, transaction', 12)],
  [7, fixedN('transmission date and time (MMDDhhmmss, UTC)', 10)],
  [11, fixedN('systems trace audit number', 6)],
  [12, fixedN('time, local transaction (hhmmss)', 6)],
  [13, fixedN('date, local transaction (MMDD)', 4)],
  [14, fixedN('date, expiration (YYMM)', 4)],
  [22, fixedAns('point of service data code (ISO 8583:1993 an12)', 12, 'an')],
  [25, fixedN('point of service condition code', 2)],
  [37, fixedAns('retrieval reference number', 12, 'an')],
  [38, fixedAns('authorization identification response', 6, 'an')],
  [39, fixedAns('response code', 2, 'an')],
  [41, fixedAns('card acceptor terminal identification', 8)],
  [42, fixedAns('card acceptor identification code', 15)],
  [47, lllvarAns('additional data, national (TLV)')],
  [48, lllvarAns('additional data, private (TLV)')],
  [49, fixedN('currency code, transaction (ISO 4217 numeric)', 3)],
  [90, fixedN('original data elements', 42)],
]);
