import { isLosslessNumber, parse } from 'lossless-json';

/** Decrypted card data, with digits kept exact (PANs and .NET ticks exceed 2^53). */
export interface CardPlaintext {
  timestampTicks: bigint;
  pan: string;
  expiryMonth: number;
  expiryYear: number;
}

export class CardPlaintextError extends Error {}

/**
 * Parses MobilePay's decrypted payload:
 * `{"timestampticks":…,"encryptedCardData":{"cardNumber":…,"expiryMonth":…,"expiryYear":…}}`.
 * Numbers are read losslessly; the card number is accepted as a JSON number or a string of digits.
 */
export function parseCardPlaintext(plaintext: Buffer): CardPlaintext {
  let doc: unknown;
  try {
    doc = parse(plaintext.toString('utf8'));
  } catch {
    throw new CardPlaintextError('card data is not JSON');
  }
  const root = asRecord(doc, 'payload');
  const card = asRecord(root.encryptedCardData, 'encryptedCardData');
  const pan = digits(card.cardNumber, 'cardNumber');
  if (pan.length < 12 || pan.length > 19)
    throw new CardPlaintextError('cardNumber has a bad length');
  return {
    timestampTicks: BigInt(digits(root.timestampticks, 'timestampticks')),
    pan,
    expiryMonth: smallInt(card.expiryMonth, 'expiryMonth'),
    expiryYear: smallInt(card.expiryYear, 'expiryYear'),
  };
}

function asRecord(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CardPlaintextError(`${field} must be an object`);
  }
  return value as Record<string, unknown>;
}

function digits(value: unknown, field: string): string {
  const text = isLosslessNumber(value)
    ? value.value
    : typeof value === 'string'
      ? value
      : undefined;
  if (text === undefined || !/^\d{1,24}$/.test(text)) {
    throw new CardPlaintextError(`${field} must be a whole number`);
  }
  return text;
}

function smallInt(value: unknown, field: string): number {
  const n = Number(digits(value, field));
  if (!Number.isSafeInteger(n) || n > 9999)
    throw new CardPlaintextError(`${field} is out of range`);
  return n;
}
