import { ReasonCode } from '@app/domain';
import type { CardCallbackResponse } from '@app/epayment';
import type { EpaymentAttemptView } from '@app/persistence';

/**
 * FAIL error codes. The public documentation shows one example (300 "Refused by Issuer") and says
 * some codes are non-retryable without listing them; this table is our assumption, kept in one
 * place: retryable declines (the user may try another card) are 300–302, 305; fraud (303) and a
 * blocked card (304) are meant as non-retryable. The simulator's non-retryable set matches.
 */
export const FAIL_CODES: Record<number, { errorCode: number; errorMessage: string }> = {
  [ReasonCode.Rejected]: { errorCode: 300, errorMessage: 'Refused by issuer' },
  [ReasonCode.InsufficientFunds]: { errorCode: 301, errorMessage: 'Insufficient funds' },
  [ReasonCode.CardExpired]: { errorCode: 302, errorMessage: 'Expired card' },
  [ReasonCode.FraudSuspected]: { errorCode: 303, errorMessage: 'Suspected fraud' },
  [ReasonCode.SoftBlocked]: { errorCode: 300, errorMessage: 'Refused by issuer' },
  [ReasonCode.HardBlocked]: { errorCode: 304, errorMessage: 'Card blocked' },
  [ReasonCode.WebPaymentDisabled]: {
    errorCode: 305,
    errorMessage: 'Card not enabled for this payment',
  },
  [ReasonCode.RejectedForInvalidation]: { errorCode: 306, errorMessage: 'Payment was changed' },
};

const TECHNICAL = { errorCode: 310, errorMessage: 'Technical error at the payment provider' };

export type CallbackAnswer =
  { kind: 'answer'; body: CardCallbackResponse } | { kind: 'timed-out' } | { kind: 'pending' };

/** What the card callback answers for the attempt's current state. */
export function answerFor(
  attempt: EpaymentAttemptView,
  softDeclineUrl: () => string,
): CallbackAnswer {
  switch (attempt.status) {
    case 'AUTHORIZED':
    case 'SUCCEEDED':
      return {
        kind: 'answer',
        body: {
          status: 'RESERVE',
          networkTransactionReference:
            attempt.acquirerReference ?? attempt.authorizationReference ?? attempt.id,
        },
      };
    case 'THREE_DS_PENDING':
      return { kind: 'answer', body: { status: 'SOFT_DECLINE', softDeclineUrl: softDeclineUrl() } };
    case 'DECLINED':
    case 'FAILED': {
      if (attempt.reasonCode === ReasonCode.Timeout) return { kind: 'timed-out' };
      const mapped = (attempt.reasonCode !== null && FAIL_CODES[attempt.reasonCode]) || TECHNICAL;
      return { kind: 'answer', body: { status: 'FAIL', ...mapped } };
    }
    default:
      return { kind: 'pending' };
  }
}
