/**
 * Magic card numbers of the acquirer simulator. Every PAN here is Luhn-valid and sits in the
 * MobilePay test wallet too, so a swipe (`/sandbox/v1/payments/{id}/swipe {cardNumber}`) can drive
 * each acquirer outcome end to end. Any other card is approved, except:
 * - amounts whose last two digits are 51 → DECLINED / INSUFFICIENT_FUNDS;
 * - an expiry in the past → DECLINED / EXPIRED_CARD.
 */
export type AuthorizationStatus = 'APPROVED' | 'DECLINED' | 'SOFT_DECLINED';

export type DeclineCode =
  | 'DO_NOT_HONOR'
  | 'INSUFFICIENT_FUNDS'
  | 'EXPIRED_CARD'
  | 'FRAUD_SUSPECTED'
  | 'SOFT_BLOCKED'
  | 'HARD_BLOCKED'
  | 'WEB_PAYMENTS_DISABLED';

export interface TestCardBehaviour {
  status: AuthorizationStatus;
  declineCode?: DeclineCode;
  /** SOFT_DECLINED cards are approved when the request carries a 3DS result. */
  approvedWithThreeDs?: boolean;
  /** Authorized at once, but the answer is held back this long (unknown-outcome tests). */
  responseDelayMs?: number;
}

export interface TestCard {
  pan: string;
  cardType: string;
  description: string;
  behaviour: TestCardBehaviour;
}

export const ACQUIRER_TEST_CARDS: readonly TestCard[] = [
  {
    pan: '4000000000000002',
    cardType: 'VISA-CREDIT',
    description: 'declined: do not honor',
    behaviour: { status: 'DECLINED', declineCode: 'DO_NOT_HONOR' },
  },
  {
    pan: '4000000000009995',
    cardType: 'VISA-CREDIT',
    description: 'declined: insufficient funds',
    behaviour: { status: 'DECLINED', declineCode: 'INSUFFICIENT_FUNDS' },
  },
  {
    pan: '4000000000003220',
    cardType: 'VISA-CREDIT',
    description: 'soft decline: 3DS step-up required, approved with a 3DS result',
    behaviour: { status: 'SOFT_DECLINED', declineCode: 'SOFT_BLOCKED', approvedWithThreeDs: true },
  },
  {
    // The last four select the 3dsecure.io sandbox's manual challenge (all message versions).
    pan: '4000100005160072',
    cardType: 'VISA-CREDIT',
    description: 'soft decline, then a manual EMV 3-D Secure challenge; approved with its result',
    behaviour: { status: 'SOFT_DECLINED', declineCode: 'SOFT_BLOCKED', approvedWithThreeDs: true },
  },
  {
    pan: '4100000000000019',
    cardType: 'VISA-CREDIT',
    description: 'declined: fraud suspected',
    behaviour: { status: 'DECLINED', declineCode: 'FRAUD_SUSPECTED' },
  },
  {
    pan: '4000000000000069',
    cardType: 'VISA-CREDIT',
    description: 'declined: expired card (whatever the expiry says)',
    behaviour: { status: 'DECLINED', declineCode: 'EXPIRED_CARD' },
  },
  {
    pan: '4000000000000101',
    cardType: 'VISA-DEBIT',
    description: 'declined: web payments disabled for the card',
    behaviour: { status: 'DECLINED', declineCode: 'WEB_PAYMENTS_DISABLED' },
  },
  {
    pan: '5105105105105100',
    cardType: 'MC-CREDIT',
    description: 'declined: hard blocked',
    behaviour: { status: 'DECLINED', declineCode: 'HARD_BLOCKED' },
  },
  {
    pan: '4000000000000259',
    cardType: 'VISA-CREDIT',
    description: 'approved, but the answer takes 30 s (acquirer timeout → inquiry/reversal)',
    behaviour: { status: 'APPROVED', responseDelayMs: 30_000 },
  },
];

export function testCardBehaviour(pan: string): TestCardBehaviour | undefined {
  return ACQUIRER_TEST_CARDS.find((card) => card.pan === pan)?.behaviour;
}
