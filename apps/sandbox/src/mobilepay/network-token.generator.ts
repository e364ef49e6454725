import { randomBytes, randomInt } from 'node:crypto';

/** Token BINs of the guide's examples (4895737462013403, 5204731613942625). */
const TOKEN_BIN = { visa: '489537', mastercard: '520473' } as const;

export type TokenBrand = keyof typeof TOKEN_BIN;

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A 16-digit, Luhn-valid network token starting with the brand's token BIN. */
export function networkToken(brand: TokenBrand): string {
  let body = TOKEN_BIN[brand];
  while (body.length < 15) body += String(randomInt(10));
  return body + luhnCheckDigit(body);
}

/** EMVCo cryptograms (TAVV, DSRP short form) travel as base64 of 20 bytes. */
export function cryptogram(): string {
  return randomBytes(20).toString('base64');
}

/** Payment Account Reference: 29 characters, the 4-character BIN controller prefix first. */
export function paymentAccountReference(brand: TokenBrand): string {
  let par = brand === 'visa' ? 'V001' : '5001';
  while (par.length < 29) par += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return par;
}

export function hexId(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}

/** Keeps only the last four characters: cryptograms may be shown, but never in full. */
export function maskSecret(value: string): string {
  return `${'*'.repeat(Math.max(0, value.length - 4))}${value.slice(-4)}`;
}

function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}
