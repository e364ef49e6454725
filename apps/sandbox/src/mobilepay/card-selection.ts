import { badRequest } from '../common/sandbox-error';
import { conflict, MobilePayCode } from './mobilepay-codes';
import type { Payment } from './payment.model';
import { luhnValid } from './payment-rules';
import { guessCardType, TEST_WALLET, type WalletCard, walletCardByPan } from './test-wallet';

/** What the user picks in the app (regression tester): the first eligible wallet card. */
export function firstEligibleCard(payment: Payment, lastFourDigits?: string | null): WalletCard {
  const allowed = new Set(payment.allowedCardTypes.map((c) => c.name));
  const card = TEST_WALLET.find(
    (c) => allowed.has(c.cardType) && (!lastFourDigits || c.pan.endsWith(lastFourDigits)),
  );
  if (!card) throw conflict(MobilePayCode.NoEligibleCard, lastFourDigits ?? undefined);
  return card;
}

export interface ExplicitCardChoice {
  cardNumber?: string;
  cardType?: string;
  expiryMonth?: number;
  expiryYear?: number;
  allowInvalid?: boolean;
}

/** An explicit card for `/sandbox/v1/payments/{id}/swipe`; unspecified parts come from the wallet. */
export function explicitCard(payment: Payment, choice: ExplicitCardChoice): WalletCard {
  let base: WalletCard;
  if (choice.cardNumber !== undefined) {
    if (!choice.allowInvalid && !luhnValid(choice.cardNumber)) {
      throw badRequest('cardNumber must be Luhn-valid (or set allowInvalid: true)');
    }
    const known = walletCardByPan(choice.cardNumber);
    base = {
      pan: choice.cardNumber,
      cardType: choice.cardType ?? known?.cardType ?? guessCardType(choice.cardNumber),
      expiryMonth: known?.expiryMonth ?? 12,
      expiryYear: known?.expiryYear ?? TEST_WALLET[0].expiryYear,
    };
  } else if (choice.cardType !== undefined) {
    const ofType = TEST_WALLET.find((c) => c.cardType === choice.cardType);
    if (!ofType) throw badRequest(`the wallet has no ${choice.cardType} card`);
    base = ofType;
  } else {
    base = firstEligibleCard(payment);
  }
  return {
    ...base,
    expiryMonth: choice.expiryMonth ?? base.expiryMonth,
    expiryYear: choice.expiryYear === undefined ? base.expiryYear : choice.expiryYear % 100,
  };
}
