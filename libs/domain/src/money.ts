import { DomainError, ErrorCode } from './domain-error';

/** ISO 4217 currencies MobilePay Online accepts, alphabetic → numeric. */
const CURRENCIES = {
  DKK: '208',
  EUR: '978',
  NOK: '578',
  SEK: '752',
  USD: '840',
  GBP: '826',
} as const;

export type Currency = keyof typeof CURRENCIES;

const BY_NUMERIC = new Map<string, Currency>(
  Object.entries(CURRENCIES).map(([alpha, numeric]) => [numeric, alpha as Currency]),
);

/** Accepts an alphabetic ("DKK") or numeric ("208") ISO 4217 code and returns the alphabetic one. */
export function parseCurrency(code: string): Currency {
  const upper = code.trim().toUpperCase();
  if (upper in CURRENCIES) return upper as Currency;
  const alpha = BY_NUMERIC.get(upper);
  if (alpha) return alpha;
  throw new DomainError(ErrorCode.UnsupportedCurrency, `currency "${code}" is not supported`, {
    supported: Object.keys(CURRENCIES),
  });
}

/** The ISO 4217 numeric code ("208") of a currency MobilePay Online accepts. */
export function currencyNumeric(code: string): string {
  return CURRENCIES[parseCurrency(code)];
}

export function isCurrency(code: string): boolean {
  try {
    parseCurrency(code);
    return true;
  } catch {
    return false;
  }
}

/** Largest amount we accept in minor units; keeps every amount exact in a JS number and a BIGINT. */
export const MAX_MINOR_UNITS = 99_999_999_999;

export function isMinorUnits(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isSafeInteger(value) &&
    value > 0 &&
    value <= MAX_MINOR_UNITS
  );
}

export function toMinorUnits(value: bigint): number {
  if (value < 0n || value > BigInt(MAX_MINOR_UNITS)) throw new RangeError('amount out of range');
  return Number(value);
}
