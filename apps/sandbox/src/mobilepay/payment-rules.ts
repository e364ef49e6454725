import type { InitiatePaymentV3Request } from './online-api.types';

/** The guide's "Allowed card types" (MTRO-DEBIT is deprecated and refused, like the real API does). */
export const ALLOWED_CARD_TYPES: readonly string[] = [
  'DANKORT',
  'VISA-DEBIT',
  'VISA-CREDIT',
  'MC-DEBIT',
  'MC-CREDIT',
  'ELEC-DEBIT',
];

const CURRENCIES: Record<string, string> = {
  DKK: 'DKK',
  EUR: 'EUR',
  NOK: 'NOK',
  SEK: 'SEK',
  USD: 'USD',
  GBP: 'GBP',
  '208': 'DKK',
  '978': 'EUR',
  '578': 'NOK',
  '752': 'SEK',
  '840': 'USD',
  '826': 'GBP',
};

/** The guide's four Checkout parameters, as far as they depend on each other. */
export function checkoutProblem(request: InitiatePaymentV3Request): string | undefined {
  if (request.isCheckout !== true) return undefined;
  if (!request.addressCallbackUrl) return 'isCheckout: true requires addressCallbackUrl';
  const reason = request.deliveryAddressDisallowedReasonCode;
  if (request.deliveryAddressAllowed === false && !(reason && reason >= 1 && reason <= 5)) {
    return 'deliveryAddressAllowed: false requires deliveryAddressDisallowedReasonCode 1–5';
  }
  return undefined;
}

/** Alphabetic ISO 4217 code for an accepted alphabetic or numeric code, else undefined. */
export function normalizeCurrency(code: string): string | undefined {
  return Object.hasOwn(CURRENCIES, code) ? CURRENCIES[code] : undefined;
}

/**
 * The real API demands https everywhere; the sandbox also takes plain http to the hosts listed in
 * SANDBOX_HTTP_CALLBACK_HOSTS (localhost by default) so local runs need no TLS.
 */
export function isAcceptableCallbackUrl(raw: string, httpHosts: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && httpHosts.includes(url.hostname.toLowerCase());
}

/** First 6 + last 4; MobilePay's own callbacks mask with `X` (479694XXXXXX1234). */
export function maskPan(pan: string, char: '*' | 'X' = '*'): string {
  if (pan.length < 13) return char.repeat(pan.length);
  return `${pan.slice(0, 6)}${char.repeat(pan.length - 10)}${pan.slice(-4)}`;
}

export function luhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}
