import type { PosPaymentState, PosRefundState } from './pos-api.types';

/** Our names for PoS v10's payment states (plus CREATED and FAILED, which MobilePay never saw). */
export type PosPaymentStatusName =
  | 'CREATED'
  | 'PREPARED'
  | 'PAIRED'
  | 'INITIATED'
  | 'ISSUED_TO_USER'
  | 'RESERVED'
  | 'CAPTURED'
  | 'CANCELLED_BY_USER'
  | 'CANCELLED_BY_CLIENT'
  | 'CANCELLED_BY_MOBILEPAY'
  | 'EXPIRED_AND_CANCELLED'
  | 'FAILED';

export type PosRefundStatusName =
  | 'CREATED'
  | 'INITIATED'
  | 'RESERVED'
  | 'CAPTURED'
  | 'CANCELLED_BY_CLIENT'
  | 'CANCELLED_BY_MOBILEPAY'
  | 'EXPIRED_AND_CAPTURED'
  | 'FAILED';

export const PAYMENT_STATUS: Record<PosPaymentState, PosPaymentStatusName> = {
  Prepared: 'PREPARED',
  Paired: 'PAIRED',
  Initiated: 'INITIATED',
  IssuedToUser: 'ISSUED_TO_USER',
  Reserved: 'RESERVED',
  Captured: 'CAPTURED',
  CancelledByUser: 'CANCELLED_BY_USER',
  CancelledByClient: 'CANCELLED_BY_CLIENT',
  CancelledByMobilePay: 'CANCELLED_BY_MOBILEPAY',
  ExpiredAndCancelled: 'EXPIRED_AND_CANCELLED',
};

export const REFUND_STATUS: Record<PosRefundState, PosRefundStatusName> = {
  Initiated: 'INITIATED',
  Reserved: 'RESERVED',
  Captured: 'CAPTURED',
  CancelledByClient: 'CANCELLED_BY_CLIENT',
  CancelledByMobilePay: 'CANCELLED_BY_MOBILEPAY',
  ExpiredAndCaptured: 'EXPIRED_AND_CAPTURED',
};

/**
 * States in which only polling tells us what the user or MobilePay did next. Reserved is not one:
 * from there on the merchant decides (capture or cancel).
 */
export const POLLED_PAYMENT_STATUSES: readonly PosPaymentStatusName[] = [
  'PREPARED',
  'PAIRED',
  'INITIATED',
  'ISSUED_TO_USER',
];

/** "Active" payments block the point of sale for new ones (error 1301). */
export const ACTIVE_PAYMENT_STATUSES = POLLED_PAYMENT_STATUSES;

export const POLLED_REFUND_STATUSES: readonly PosRefundStatusName[] = ['INITIATED'];

/** Refunds that still count against the payment's captured amount. */
export const ENDED_REFUND_STATUSES: readonly PosRefundStatusName[] = [
  'CANCELLED_BY_CLIENT',
  'CANCELLED_BY_MOBILEPAY',
  'FAILED',
];

/** The merchant-facing event for a payment that reached `status`. */
export function paymentEventType(status: PosPaymentStatusName): string {
  return `pos_payment.${status.toLowerCase()}`;
}

export function refundEventType(status: PosRefundStatusName): string {
  return `pos_refund.${status.toLowerCase()}`;
}
