import fc from 'fast-check';
import { decodeMessage, encodeMessage, Iso8583FormatError, type IsoMessage } from './iso8583-codec';
import { type FieldSpec, type MessageSpec, NETS_MESSAGE_SPEC } from './iso8583-field-spec';

const PAN = '5019717010103742';

const message = (fields: Record<number, string>, mti = '0100'): IsoMessage => ({ mti, fields });

describe('ISO 8583 codec (Nets profile)', () => {
  it('writes the MTI, a binary primary bitmap, then the fields in order', () => {
    const bytes = encodeMessage(message({ 3: '000000', 2: PAN, 11: '000001' }), NETS_MESSAGE_SPEC);
    expect(bytes.subarray(0, 4).toString('ascii')).toBe('0100');
    // Fields 2, 3 (byte 0: 0110 0000) and 11 (byte 1: 0010 0000).
    expect(bytes.subarray(4, 12).toString('hex')).toBe('6020000000000000');
    expect(bytes.subarray(12).toString('ascii')).toBe(`16${PAN}000000000001`);
  });

  it('adds a secondary bitmap (and sets bit 1) only when a field above 64 is present', () => {
    const bytes = encodeMessage(
      message({ 11: '000001', 90: '0'.repeat(42) }, '0400'),
      NETS_MESSAGE_SPEC,
    );
    expect(bytes.subarray(4, 20).toString('hex')).toBe('80200000000000000000004000000000');
    expect(decodeMessage(bytes, NETS_MESSAGE_SPEC).fields).toEqual({
      11: '000001',
      90: '0'.repeat(42),
    });
  });

  it('pads fixed fields: numbers left with zeros, text right with spaces (trimmed on decode)', () => {
    const bytes = encodeMessage(message({ 4: '12345', 41: 'T1' }), NETS_MESSAGE_SPEC);
    expect(bytes.subarray(12).toString('ascii')).toBe('000000012345T1      ');
    expect(decodeMessage(bytes, NETS_MESSAGE_SPEC).fields).toEqual({ 4: '000000012345', 41: 'T1' });
  });

  it('writes LLLVAR fields with a 3-digit ASCII length', () => {
    const bytes = encodeMessage(message({ 47: '7R0108844101001' }), NETS_MESSAGE_SPEC);
    expect(bytes.subarray(12).toString('ascii')).toBe('0157R0108844101001');
  });

  it('round-trips any message built from the spec', () => {
    const digits = (min: number, max: number) =>
      fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
    const printable = fc.string({
      unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: 999,
    });
    fc.assert(
      fc.property(
        digits(1, 19),
        digits(12, 12),
        digits(42, 42),
        printable,
        fc.constantFrom('0100', '0110', '0400', '0610'),
        (pan, amount, original, additional, mti) => {
          const sent = message(
            { 2: pan, 4: amount, 37: 'ABC123DEF456', 48: additional, 90: original },
            mti,
          );
          expect(decodeMessage(encodeMessage(sent, NETS_MESSAGE_SPEC), NETS_MESSAGE_SPEC)).toEqual(
            sent,
          );
        },
      ),
    );
  });

  it.each<[string, Record<number, string>]>([
    ['a too long PAN', { 2: '1'.repeat(20) }],
    ['letters in a numeric field', { 4: '12A' }],
    ['a too long fixed field', { 3: '0000000' }],
    ['a field outside the spec', { 5: '1' }],
    ['field 1 set by hand', { 1: '00' }],
    ['a non-printable character', { 48: 'a\nb' }],
  ])('refuses %s, without quoting the value', (_case, fields) => {
    const encode = () => encodeMessage(message(fields), NETS_MESSAGE_SPEC);
    expect(encode).toThrow(Iso8583FormatError);
    try {
      encode();
    } catch (error) {
      for (const value of Object.values(fields)) {
        expect((error as Error).message).not.toContain(value);
      }
    }
  });

  it('never quotes a card number when a PAN field is malformed', () => {
    const pan = '4111111111111111111111';
    expect(() => encodeMessage(message({ 2: pan }), NETS_MESSAGE_SPEC)).toThrow(/field 2/);
    expect(() => encodeMessage(message({ 2: pan }), NETS_MESSAGE_SPEC)).not.toThrow(pan);
  });

  it.each([
    ['a truncated message', (b: Buffer) => b.subarray(0, b.length - 1)],
    ['trailing bytes', (b: Buffer) => Buffer.concat([b, Buffer.from('0')])],
    ['a bad MTI', (b: Buffer) => Buffer.concat([Buffer.from('01x0'), b.subarray(4)])],
    [
      'an undefined field in the bitmap',
      (b: Buffer) =>
        Buffer.concat([b.subarray(0, 4), Buffer.from('0800000000000000', 'hex'), b.subarray(12)]),
    ],
  ])('rejects %s on decode', (_case, corrupt) => {
    const bytes = encodeMessage(message({ 2: PAN, 11: '000001' }), NETS_MESSAGE_SPEC);
    expect(() => decodeMessage(corrupt(bytes), NETS_MESSAGE_SPEC)).toThrow(Iso8583FormatError);
  });

  describe('with BCD and binary fields (the spec is data)', () => {
    const spec: MessageSpec = new Map<number, FieldSpec>([
      [2, { name: 'pan', content: 'n', length: { kind: 'llvar', max: 19 }, encoding: 'bcd' }],
      [
        4,
        {
          name: 'amount',
          content: 'n',
          length: { kind: 'fixed', size: 12 },
          encoding: 'bcd',
          pad: { side: 'left', char: '0' },
        },
      ],
      [11, { name: 'stan', content: 'n', length: { kind: 'fixed', size: 5 }, encoding: 'bcd' }],
      [55, { name: 'icc', content: 'b', length: { kind: 'lllvar', max: 255 }, encoding: 'binary' }],
    ]);

    it('packs digits two to a byte with BCD length prefixes and keeps binary as bytes', () => {
      const sent = message({ 2: '4111111111111111111', 4: '995', 11: '12345', 55: '9F2608AABB' });
      const bytes = encodeMessage(sent, spec);
      expect(bytes.subarray(12).toString('hex')).toBe(
        '19' +
          '4111111111111111111'.replace(/^/, '0') +
          '000000000995' +
          '012345' +
          Buffer.from('005').toString('hex') + // LLL of a binary field: ASCII digits
          '9f2608aabb',
      );
      expect(decodeMessage(bytes, spec)).toEqual({
        ...sent,
        fields: { ...sent.fields, 4: '000000000995' },
      });
    });

    it('refuses a binary value of odd length', () => {
      expect(() => encodeMessage(message({ 55: 'ABC' }), spec)).toThrow(/field 55/);
    });
  });
});
