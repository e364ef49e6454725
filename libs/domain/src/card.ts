/** Card types MobilePay Online sends and accepts (MTRO-DEBIT is deprecated and not offered). */
export const CARD_TYPES = [
  'DANKORT',
  'VISA-DEBIT',
  'VISA-CREDIT',
  'MC-DEBIT',
  'MC-CREDIT',
  'ELEC-DEBIT',
] as const;

export type CardType = (typeof CARD_TYPES)[number];

export function isCardType(value: string): value is CardType {
  return (CARD_TYPES as readonly string[]).includes(value);
}

export function luhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The only form of a card number that may leave the sealed store: first 6 and last 4 digits. */
export function maskPan(pan: string): string {
  if (pan.length < 13) return '*'.repeat(pan.length);
  return `${pan.slice(0, 6)}${'*'.repeat(pan.length - 10)}${pan.slice(-4)}`;
}

/** True when the card's expiry month (1–12) and two- or four-digit year are not in the past. */
export function notExpired(month: number, year: number, now: Date = new Date()): boolean {
  if (!Number.isInteger(month) || month < 1 || month > 12 || !Number.isInteger(year)) return false;
  const fullYear = year < 100 ? 2000 + year : year;
  const currentYear = now.getUTCFullYear();
  const currentMonth = now.getUTCMonth() + 1;
  return fullYear > currentYear || (fullYear === currentYear && month >= currentMonth);
}
