import { Iso8583FormatError } from './iso8583-codec';
import { decodeTlv, encodeTlv } from './iso8583-tlv';

describe('field 47/48 TLV', () => {
  it('writes tag, 3-digit length and value in insertion order', () => {
    const entries = new Map([
      ['7R', '8844101001'],
      ['V!', '23'],
    ]);
    expect(encodeTlv(entries)).toBe('7R0108844101001V!00223');
    expect([...decodeTlv('7R0108844101001V!00223')]).toEqual([...entries]);
  });

  it('round-trips an empty value and an empty field', () => {
    expect(decodeTlv(encodeTlv(new Map([['RF', '']])))).toEqual(new Map([['RF', '']]));
    expect(decodeTlv('')).toEqual(new Map());
  });

  it.each([
    ['a value running past the field', '7R0108844'],
    ['a non-numeric length', '7R01x8844101001'],
    ['a repeated tag', 'V!00223V!00223'],
    ['a lone tag', 'V'],
  ])('rejects %s', (_case, text) => {
    expect(() => decodeTlv(text)).toThrow(Iso8583FormatError);
  });

  it.each([
    ['a 3-character tag', new Map([['ABC', 'x']])],
    ['a tag with a space', new Map([['A ', 'x']])],
    ['a value over 999 characters', new Map([['RF', 'x'.repeat(1000)]])],
  ])('refuses to encode %s', (_case, entries) => {
    expect(() => encodeTlv(entries)).toThrow(Iso8583FormatError);
  });
});
