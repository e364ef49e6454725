/**
 * PoS v10 sends and expects amounts as JSON decimals in major units (12.5 = 12,50 kr.); we keep
 * money as integer minor units. These conversions work on the decimal text, never on a float, so
 * 0.1 + 0.2 can never turn into 0.30000000000000004 øre.
 */

/** ISO 4217 minor-unit exponents of the currencies we may meet (PoS itself takes DKK and EUR). */
const EXPONENTS: Readonly<Record<string, number>> = {
  DKK: 2,
  EUR: 2,
  NOK: 2,
  SEK: 2,
  USD: 2,
  GBP: 2,
  ISK: 0,
  JPY: 0,
  BHD: 3,
  KWD: 3,
};

/** PoS v10's currencies. */
export const POS_CURRENCIES = ['DKK', 'EUR'] as const;
export type PosCurrency = (typeof POS_CURRENCIES)[number];

export function isPosCurrency(value: unknown): value is PosCurrency {
  return typeof value === 'string' && (POS_CURRENCIES as readonly string[]).includes(value);
}

export class PosAmountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PosAmountError';
  }
}

export function currencyExponent(currency: string): number {
  const exponent = EXPONENTS[currency];
  if (exponent === undefined) throw new PosAmountError(`currency "${currency}" is not supported`);
  return exponent;
}

/** 1250n DKK → "12.50"; 7n KWD → "0.007"; 500n JPY → "500". */
export function minorToDecimal(minor: bigint, currency: string): string {
  const exponent = currencyExponent(currency);
  if (minor < 0n) throw new PosAmountError('amount must not be negative');
  const digits = minor.toString().padStart(exponent + 1, '0');
  if (exponent === 0) return digits;
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d{1,3}))?$/;

/**
 * "12.5" DKK → 1250n. Accepts what JSON allows for a non-negative number (exponents included) and
 * refuses anything that is not a whole number of minor units ("12.505" DKK, 0.1 + 0.2). A JS number
 * is read through its shortest round-trip text, which is the literal that produced it.
 */
export function decimalToMinor(value: string | number, currency: string): bigint {
  const exponent = currencyExponent(currency);
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new PosAmountError('amount is not a finite number');
  }
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = DECIMAL.exec(text);
  if (!match) throw new PosAmountError(`"${text.slice(0, 40)}" is not a non-negative decimal`);
  const [, whole, fraction = '', power = '0'] = match;
  // digits × 10^(exponent − scale) minor units, where scale counts the digits after the point.
  const shift = exponent - (fraction.length - Number(power));
  const digits = BigInt(whole + fraction);
  if (shift >= 0) return digits * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  if (digits % divisor !== 0n) {
    throw new PosAmountError(`${text} has more decimals than ${currency} allows (${exponent})`);
  }
  return digits / divisor;
}
