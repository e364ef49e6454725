/**
 * Stable error codes of the gateway's API. Clients branch on these; the HTTP status is derived from
 * them in one place (the exception filter), never chosen ad hoc in a controller.
 */
export const ErrorCode = {
  ValidationFailed: 'validation_failed',
  Unauthenticated: 'unauthenticated',
  NotFound: 'not_found',
  IdempotencyConflict: 'idempotency_conflict',
  /** The Idempotency-Key was used before with another method, path or body. */
  IdempotencyKeyReused: 'idempotency_key_reused',
  /** A request with this Idempotency-Key is still running; retry shortly. */
  IdempotencyRequestInProgress: 'idempotency_request_in_progress',
  /** The replay of this key held a secret that can no longer be opened: create a new one. */
  IdempotencySecretUnavailable: 'idempotency_secret_unavailable',
  PayloadTooLarge: 'payload_too_large',
  UnsupportedCurrency: 'unsupported_currency',
  UnsupportedCardType: 'unsupported_card_type',
  RequestFishing: 'request_fishing',
  MerchantNotOnboarded: 'merchant_not_onboarded',
  MerchantOffboarded: 'merchant_offboarded',
  ApiKeyRevoked: 'api_key_revoked',
  /** The logo is not what MobilePay's guide requires (https, PNG/JPEG, 250×250, content type). */
  InvalidLogo: 'invalid_logo',
  MobilePayRejected: 'mobilepay_rejected',
  MobilePayUnavailable: 'mobilepay_unavailable',
  UnknownPublicKey: 'unknown_public_key',
  UndecryptableCardData: 'undecryptable_card_data',
  InvalidCardData: 'invalid_card_data',
  StaleCardData: 'stale_card_data',
  UnknownPayment: 'unknown_payment',
  PaymentNotPayable: 'payment_not_payable',
  /** Capture, cancel or refund on a payment that is not (or no longer) authorized. */
  InvalidPaymentState: 'invalid_payment_state',
  /** Capture over the uncaptured amount, refund over the captured one, or nothing left to cancel. */
  AmountExceedsAvailable: 'amount_exceeds_available',
  AcquirerDeclined: 'acquirer_declined',
  /** The acquirer's answer is not known; retry with the same Idempotency-Key. */
  AcquirerUnavailable: 'acquirer_unavailable',
  OperationNotSupported: 'operation_not_supported',
  SenderNotAllowed: 'sender_not_allowed',
  TokenNotSupported: 'token_not_supported',
  PaymentAlreadyAuthorized: 'payment_already_authorized',
  InvalidationPending: 'invalidation_pending',
  ServiceUnavailable: 'service_unavailable',
  /** Admin API: only a job in the failed set can be retried. */
  JobNotFailed: 'job_not_failed',
  /** Console: a state-changing request with the session cookie but without its CSRF token. */
  CsrfFailed: 'csrf_failed',
  /** Admin API: the needs-attention item is resolved already, or has no safe action. */
  NotActionable: 'not_actionable',
  /** In-store: another payment is active on the point of sale (PoS v10 1301); cancel it first. */
  PosPaymentActive: 'pos_payment_active',
  /** In-store: the payment's card does not allow a partial capture (capture all or cancel). */
  PartialCaptureNotPossible: 'partial_capture_not_possible',
  /** In-store: MobilePay refused because of the state of a resource (details.mobilePayCode). */
  PosConflict: 'pos_conflict',
  Internal: 'internal_error',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
