/** PoS v10 error codes we act on (docs: "API Errors"). */
export const PosErrorCode = {
  PointOfSaleNotFound: '1000',
  PaymentNotFound: '1001',
  StoreNotFound: '1002',
  InvalidAmount: '1102',
  MerchantPosIdExists: '1200',
  BeaconIdExists: '1202',
  StoreNotActivated: '1204',
  PaymentCannotBeCancelled: '1300',
  /** A payment is already active on the point of sale: cancel it before starting a new one. */
  PaymentAlreadyActive: '1301',
  PaymentNotPrepared: '1303',
  PaymentNotReserved: '1304',
  CaptureExceedsReserved: '1305',
  /** The idempotency key was used before with another request body. */
  IdempotencyKeyReused: '1306',
  CapturedWithOtherAmount: '1307',
  PartialCaptureNotPossible: '1308',
  RefundNotReserved: '1351',
  RefundCannotBeCancelled: '1352',
  PaymentNotCaptured: '1354',
  RefundCurrencyMismatch: '1365',
  PaymentTooOld: '1366',
  RefundAmountTooHigh: '1367',
  InsufficientStoreBalance: '1368',
} as const;

export type PosErrorCode = (typeof PosErrorCode)[keyof typeof PosErrorCode];

/** A failed PoS v10 call. `code` is MobilePay's error code when the answer had one. */
export class PosApiError extends Error {
  constructor(
    message: string,
    /** HTTP status; undefined when no answer arrived (timeout, connection error). */
    readonly status: number | undefined,
    readonly code: string | undefined,
    /** True when trying again later may succeed (no answer, 5xx, 429). */
    readonly transient: boolean,
    /** From `Retry-After` on a 429. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'PosApiError';
  }

  is(code: PosErrorCode): boolean {
    return this.code === code;
  }

  get notFound(): boolean {
    return this.status === 404;
  }
}
