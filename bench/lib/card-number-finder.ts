import { luhnValid } from '@app/domain';

export interface CardNumberHit {
  kind: 'exact' | 'luhn';
  value: string;
  index: number;
}

const DIGIT_RUN = /(?<!\d)\d{13,19}(?!\d)/g;
const TOKEN_CHAR = /[0-9A-Za-z+/]/;

/** The run of base64/hex characters around `[start, end)`. */
function enclosingToken(text: string, start: number, end: number): string {
  let from = start;
  let to = end;
  while (from > 0 && TOKEN_CHAR.test(text[from - 1])) from--;
  while (to < text.length && TOKEN_CHAR.test(text[to])) to++;
  return text.slice(from, to);
}

/** OTLP's JSON ids: hex, so now and then (almost) all digits by chance. */
const ID_FIELD = /"(?:traceId|spanId|parentSpanId)":"$/;

/** Digits that are part of a hex id, a digest or a base64 blob rather than a number of their own. */
function isIdentifier(text: string, index: number, value: string): boolean {
  const token = enclosingToken(text, index, index + value.length);
  if (token.length >= 24 && /[A-Za-z]/.test(token)) return true;
  if (token.length >= 16 && token !== value && /^[0-9a-f]+$/i.test(token)) return true;
  return ID_FIELD.test(text.slice(Math.max(0, index - 20), index));
}

/**
 * Card numbers in a text: each of the `exact` strings (the test PANs and tokens a run used),
 * anywhere; and any 13–19 digit run that passes Luhn and starts like a payment card (major
 * industry identifier 2–6). Excluded on purpose: runs starting with 1 (epoch milli- and
 * nanosecond timestamps are 13 and 19 digits) and runs inside hex ids (trace and span ids) or
 * long hex/base64 blobs (digests, ciphertexts), where digit runs occur by chance. Masked forms (first 6 + last 4 with `*` or
 * `X` between) are not 13 contiguous digits, so they never match.
 */
export function findCardNumbers(text: string, exact: readonly string[]): CardNumberHit[] {
  const hits: CardNumberHit[] = [];
  const seen = new Set<number>();
  for (const value of exact) {
    for (let i = text.indexOf(value); i !== -1; i = text.indexOf(value, i + 1)) {
      hits.push({ kind: 'exact', value, index: i });
      seen.add(i);
    }
  }
  for (const match of text.matchAll(DIGIT_RUN)) {
    const value = match[0];
    const index = match.index;
    if (seen.has(index) || !'23456'.includes(value[0]) || !luhnValid(value)) continue;
    if (isIdentifier(text, index, value)) continue;
    hits.push({ kind: 'luhn', value, index });
  }
  return hits;
}

/** How a hit is reported: never the number itself. */
export function maskCardNumber(value: string): string {
  return `${value.slice(0, 6)}${'*'.repeat(Math.max(0, value.length - 10))}${value.slice(-4)}`;
}

/** A little of the text around a hit, with every long digit run masked. */
export function maskedContext(text: string, index: number, length: number): string {
  const around = text.slice(Math.max(0, index - 60), index + length + 60);
  return around.replace(/\d{13,19}/g, maskCardNumber).replace(/\s+/g, ' ');
}
