import { DomainError, ErrorCode } from '@app/domain';
import { PosAmountError } from './pos-amount';
import { PosApiError, PosErrorCode } from './pos-error';

const BY_CODE: Partial<Record<string, { code: ErrorCode; message: string }>> = {
  [PosErrorCode.PaymentAlreadyActive]: {
    code: ErrorCode.PosPaymentActive,
    message: 'another payment is active on this point of sale; cancel it first',
  },
  [PosErrorCode.PartialCaptureNotPossible]: {
    code: ErrorCode.PartialCaptureNotPossible,
    message: 'this payment cannot be captured partially: capture all of it or cancel it',
  },
  [PosErrorCode.CaptureExceedsReserved]: {
    code: ErrorCode.AmountExceedsAvailable,
    message: 'the capture exceeds the reserved amount',
  },
  [PosErrorCode.RefundAmountTooHigh]: {
    code: ErrorCode.AmountExceedsAvailable,
    message: 'the refunds would exceed the captured amount',
  },
  [PosErrorCode.InsufficientStoreBalance]: {
    code: ErrorCode.AmountExceedsAvailable,
    message: 'the store’s MobilePay balance does not cover the refund',
  },
  [PosErrorCode.IdempotencyKeyReused]: {
    code: ErrorCode.IdempotencyConflict,
    message: 'MobilePay saw this request’s idempotency key with another request',
  },
  [PosErrorCode.PaymentNotReserved]: {
    code: ErrorCode.InvalidPaymentState,
    message: 'the payment is not reserved',
  },
  [PosErrorCode.PaymentCannotBeCancelled]: {
    code: ErrorCode.InvalidPaymentState,
    message: 'the payment can no longer be cancelled',
  },
  [PosErrorCode.PaymentNotPrepared]: {
    code: ErrorCode.InvalidPaymentState,
    message: 'only a prepared payment can be marked ready',
  },
  [PosErrorCode.CapturedWithOtherAmount]: {
    code: ErrorCode.InvalidPaymentState,
    message: 'the payment was already captured with another amount',
  },
  [PosErrorCode.RefundNotReserved]: {
    code: ErrorCode.InvalidPaymentState,
    message: 'the refund is not reserved',
  },
  [PosErrorCode.RefundCannotBeCancelled]: {
    code: ErrorCode.InvalidPaymentState,
    message: 'the refund can no longer be cancelled',
  },
  [PosErrorCode.PaymentNotCaptured]: {
    code: ErrorCode.InvalidPaymentState,
    message: 'only a captured payment can be refunded',
  },
  [PosErrorCode.PaymentTooOld]: {
    code: ErrorCode.InvalidPaymentState,
    message: 'the payment is too old to be refunded (90 days)',
  },
  [PosErrorCode.PointOfSaleNotFound]: {
    code: ErrorCode.NotFound,
    message: 'MobilePay does not know this point of sale',
  },
  [PosErrorCode.StoreNotFound]: { code: ErrorCode.NotFound, message: 'store not found' },
  [PosErrorCode.PaymentNotFound]: { code: ErrorCode.NotFound, message: 'payment not found' },
};

/**
 * A PoS v10 failure as our API states it: the documented codes get their own stable code, the
 * MobilePay code travels in `details.mobilePayCode`, and "try again" cases are 502 with a hint.
 */
export function posDomainError(error: unknown): unknown {
  if (error instanceof PosAmountError) {
    return new DomainError(ErrorCode.ValidationFailed, error.message);
  }
  if (!(error instanceof PosApiError)) return error;
  const details = { mobilePayCode: error.code ?? null, mobilePayStatus: error.status ?? null };
  if (error.transient) {
    return new DomainError(
      ErrorCode.MobilePayUnavailable,
      'MobilePay did not answer in time; retry with the same Idempotency-Key',
      error.retryAfterMs === undefined ? details : { ...details, retryAfterMs: error.retryAfterMs },
    );
  }
  const mapped = error.code ? BY_CODE[error.code] : undefined;
  if (mapped) return new DomainError(mapped.code, mapped.message, details);
  if (error.status === 404)
    return new DomainError(ErrorCode.NotFound, 'not found at MobilePay', details);
  if (error.status === 409) return new DomainError(ErrorCode.PosConflict, error.message, details);
  return new DomainError(ErrorCode.MobilePayRejected, error.message, details);
}
