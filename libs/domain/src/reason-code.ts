/** Reason codes of MobilePay's PATCH authorization attempt (UpdateAuthorizationAttemptRequest). */
export const ReasonCode = {
  Rejected: 1000,
  InsufficientFunds: 1001,
  CardExpired: 1003,
  FraudSuspected: 1004,
  SoftBlocked: 1005,
  HardBlocked: 1006,
  WebPaymentDisabled: 1007,
  ThreeDSecureRequired: 1008,
  ThreeDSecureCompleted: 1009,
  RejectedForInvalidation: 1010,
  Error: 2000,
  PermanentError: 2001,
  TemporaryError: 2002,
  Timeout: 3000,
} as const;

export type ReasonCode = (typeof ReasonCode)[keyof typeof ReasonCode];

/** Why an acquirer declined, independent of any acquirer's own vocabulary. */
export type DeclineReason =
  | 'DO_NOT_HONOR'
  | 'INSUFFICIENT_FUNDS'
  | 'EXPIRED_CARD'
  | 'FRAUD_SUSPECTED'
  | 'SOFT_BLOCKED'
  | 'HARD_BLOCKED'
  | 'WEB_PAYMENTS_DISABLED'
  /** Our request was refused as invalid (parameters, keys): repeating it cannot help. */
  | 'INVALID_REQUEST'
  /** The acquirer or its upstream failed for now; a new attempt may succeed. */
  | 'TEMPORARY_ERROR'
  /** An answer the acquirer documents as a decline but gives no usable meaning for. */
  | 'ERROR';

export function reasonCodeForDecline(reason: DeclineReason): ReasonCode {
  switch (reason) {
    case 'DO_NOT_HONOR':
      return ReasonCode.Rejected;
    case 'INSUFFICIENT_FUNDS':
      return ReasonCode.InsufficientFunds;
    case 'EXPIRED_CARD':
      return ReasonCode.CardExpired;
    case 'FRAUD_SUSPECTED':
      return ReasonCode.FraudSuspected;
    case 'SOFT_BLOCKED':
      return ReasonCode.SoftBlocked;
    case 'HARD_BLOCKED':
      return ReasonCode.HardBlocked;
    case 'WEB_PAYMENTS_DISABLED':
      return ReasonCode.WebPaymentDisabled;
    case 'INVALID_REQUEST':
      return ReasonCode.PermanentError;
    case 'TEMPORARY_ERROR':
      return ReasonCode.TemporaryError;
    case 'ERROR':
      return ReasonCode.Error;
  }
}
