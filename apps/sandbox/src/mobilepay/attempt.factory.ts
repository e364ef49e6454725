import { randomUUID } from 'node:crypto';
import type { Attempt, AttemptState, Payment } from './payment.model';
import { maskPan } from './payment-rules';
import type { WalletCard } from './test-wallet';

/** A fresh authorization attempt: what MobilePay creates when the user swipes. */
export function newAttempt(payment: Payment, card: WalletCard, state: AttemptState): Attempt {
  return {
    authorizationAttemptId: randomUUID(),
    paymentId: payment.paymentId,
    cardType: card.cardType,
    maskedCardNumber: maskPan(card.pan),
    state,
    callbackStatus: 'delivering',
    callbackKind: null,
    failedOver: false,
    token: null,
    checkout: null,
    threeDs: null,
    deliveries: [],
    patches: [],
    final: null,
    createdAt: new Date().toISOString(),
    deadlineAt: null,
    late: false,
  };
}
