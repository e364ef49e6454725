import { Iso8583FormatError } from './iso8583-codec';

/** Tag-length-value data inside fields 47 and 48: a 2-character tag, a 3-digit length, the value. */
export type Tlv = ReadonlyMap<string, string>;

const TAG = /^[\x21-\x7e]{2}$/;
const VALUE = /^[\x20-\x7e]*$/;

/** Writes the entries in insertion order, so the bytes on the wire are stable. */
export function encodeTlv(entries: Tlv): string {
  let text = '';
  for (const [tag, value] of entries) {
    if (!TAG.test(tag)) throw new Iso8583FormatError('TLV tag must be 2 printable characters');
    if (!VALUE.test(value) || value.length > 999) {
      throw new Iso8583FormatError(`TLV tag ${tag}: value is not printable or too long`);
    }
    text += `${tag}${String(value.length).padStart(3, '0')}${value}`;
  }
  return text;
}

export function decodeTlv(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  let offset = 0;
  while (offset < text.length) {
    const tag = text.slice(offset, offset + 2);
    const length = text.slice(offset + 2, offset + 5);
    if (!TAG.test(tag) || !/^\d{3}$/.test(length)) {
      throw new Iso8583FormatError(`malformed TLV at offset ${offset}`);
    }
    const end = offset + 5 + Number(length);
    if (end > text.length) throw new Iso8583FormatError(`TLV tag ${tag} runs past the field`);
    if (entries.has(tag)) throw new Iso8583FormatError(`TLV tag ${tag} appears twice`);
    entries.set(tag, text.slice(offset + 5, end));
    offset = end;
  }
  return entries;
}
