/**
 * The Clearhaus documentation's parameter rules and test-endpoint card behaviour, as plain
 * functions (no state): what the simulator checks before it "sends a transaction upstream".
 */
export const PRINTABLE = (min: number, max: number) => new RegExp(`^[\\x20-\\x7E]{${min},${max}}$`);
export const AMOUNT = /^(0|[1-9][0-9]{0,8})$/;
export const OPERATION_AMOUNT = /^[1-9][0-9]{0,8}$/;
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
export const BASE64_28 = /^(?:[A-Za-z0-9+/]{28}|[A-Za-z0-9+/]{27}=)$/;

/** The status codes of the docs' table: on the amount-driven test PANs an amount picks one. */
export const DOCUMENTED_STATUS_CODES: ReadonlySet<number> = new Set([
  20000, 40000, 40110, 40111, 40120, 40130, 40135, 40140, 40150, 40200, 40300, 40310, 40400, 40410,
  40411, 40412, 40413, 40414, 40415, 40416, 40420, 50000,
]);

/** The test endpoint's Visa test PAN that is always approved (one of the special test PANs). */
export const CLEARHAUS_APPROVED_VISA = '4111111111111111';
/** The test endpoint's Visa whose amount selects the status code (`420000…0000`). */
export const CLEARHAUS_AMOUNT_SELECTED_VISA = '4200000000000000';

export const SPECIAL_TEST_PANS: ReadonlySet<string> = new Set([
  '2221000000000009',
  CLEARHAUS_APPROVED_VISA,
  '5000000000000004',
]);

/** "May not be all digits, all same character, or all sequential characters". */
export function validTextOnStatement(text: string): boolean {
  if (!PRINTABLE(2, 22).test(text)) return false;
  if (/^\d+$/.test(text) || new Set(text).size === 1) return false;
  const codes = [...text.toLowerCase()].map((c) => c.charCodeAt(0));
  return !codes.every((code, i) => i === 0 || code === codes[i - 1] + 1);
}

export function luhnValid(pan: string): boolean {
  let sum = 0;
  for (let i = 0; i < pan.length; i += 1) {
    let digit = Number(pan[pan.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export type Scheme = 'visa' | 'mastercard';

/** Clearhaus acquires Visa and Mastercard; anything else (Dankort 5019…) is 40111. */
export function schemeOf(pan: string): Scheme | undefined {
  if (pan.startsWith('4')) return 'visa';
  const two = Number(pan.slice(0, 2));
  const four = Number(pan.slice(0, 4));
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return 'mastercard';
  if (pan === '5000000000000004') return 'mastercard';
  return undefined;
}

/**
 * The test endpoint's card behaviour: the special test PANs and PANs that are not Luhn-valid are
 * approved; on `420000…0000` and `555555…4444` a documented status code as amount is the answer
 * (any other amount: 40110). Other (real-looking) PANs are not test cards: 40110.
 */
export function testCardStatus(pan: string, amount: number): number {
  const amountDriven =
    (pan.startsWith('420000') && pan.endsWith('0000')) ||
    (pan.startsWith('555555') && pan.endsWith('4444'));
  if (amountDriven) return DOCUMENTED_STATUS_CODES.has(amount) ? amount : 40110;
  if (SPECIAL_TEST_PANS.has(pan) || !luhnValid(pan)) return 20000;
  return 40110;
}

/** Expiry is the end of the month (UTC). */
export function expired(month: number, year: number, now = new Date()): boolean {
  return Date.UTC(year, month, 1) <= now.getTime();
}
