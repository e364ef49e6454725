import { ACQUIRER_TEST_CARDS } from '../acquirers/test-cards';

export interface WalletCard {
  pan: string;
  cardType: string;
  expiryMonth: number;
  /** Two digits, as MobilePay sends it. */
  expiryYear: number;
}

const EXPIRY_YEAR = (new Date().getUTCFullYear() + 3) % 100;

const card = (pan: string, cardType: string): WalletCard => ({
  pan,
  cardType,
  expiryMonth: 12,
  expiryYear: EXPIRY_YEAR,
});

/**
 * The simulated user's wallet (every phone number gets this one). Cards the acquirer approves come
 * first so "select the first eligible card" approves; the acquirer's magic decline cards follow,
 * reachable with `lastFourDigits` or an explicit swipe. All PANs are Luhn-valid test numbers.
 */
export const TEST_WALLET: readonly WalletCard[] = [
  card('5019717010103742', 'DANKORT'),
  card('4000056655665556', 'VISA-DEBIT'),
  card('4111111111111111', 'VISA-CREDIT'),
  card('5200828282828210', 'MC-DEBIT'),
  card('5555555555554444', 'MC-CREDIT'),
  card('4917300800000000', 'ELEC-DEBIT'),
  // 19 digits: beyond Number.MAX_SAFE_INTEGER, to prove PSPs parse the PAN without rounding.
  card('4000000000000000006', 'VISA-CREDIT'),
  ...ACQUIRER_TEST_CARDS.map((c) => card(c.pan, c.cardType)),
  // Clearhaus' test endpoint: on 420000…0000 (and 555555…4444 above) the amount picks the status.
  card('4200000000000000', 'VISA-CREDIT'),
];

export function walletCardByPan(pan: string): WalletCard | undefined {
  return TEST_WALLET.find((c) => c.pan === pan);
}

/** Brand-level guess for a PAN outside the wallet (explicit swipes without a cardType). */
export function guessCardType(pan: string): string {
  if (/^(5019|4571)/.test(pan)) return 'DANKORT';
  if (pan.startsWith('4')) return 'VISA-CREDIT';
  return 'MC-CREDIT';
}
