import type { BeaconType, PlannedCaptureDelay, PosPaymentState, PosRefundState } from '@app/pos';

/** Who is calling: the integrator (OAuth client) on behalf of a merchant (VAT number). */
export interface PosCaller {
  clientId: string;
  merchantVat: string;
}

export interface SimStore {
  storeId: string;
  merchantVat: string;
  storeName: string;
  storeStreet: string;
  storeZipCode: string;
  storeCity: string;
  brandName: string;
  merchantBrandId: string;
  merchantLocationId: string;
  /** A store must be activated before payments start on it (error 1204). */
  active: boolean;
  /**
   * What the store's MobilePay balance can still pay back, in minor units (refunds beyond it: 1368);
   * undefined: no limit. Set by tests through the sandbox API.
   */
  refundBalance?: bigint;
}

export interface SimCheckIn {
  phoneNumber: string;
  at: number;
}

export interface SimPointOfSale {
  posId: string;
  clientId: string;
  merchantVat: string;
  merchantPosId: string;
  storeId: string;
  name: string;
  beaconId: string;
  callbackAlias: string | null;
  supportedBeaconTypes: BeaconType[];
  requirePaymentBeforeCheckin: boolean;
  deleted: boolean;
  checkIn?: SimCheckIn;
}

export interface SimPayment {
  paymentId: string;
  posId: string;
  clientId: string;
  merchantVat: string;
  orderId: string;
  flow: 'initiate' | 'prepare';
  amount: bigint | null;
  currencyCode: 'DKK' | 'EUR' | null;
  restrictions: {
    debitCardDisallowed?: boolean | null;
    creditCardDisallowed?: boolean | null;
  } | null;
  merchantPaymentLabel: string | null;
  plannedCaptureDelay: PlannedCaptureDelay | null;
  status: PosPaymentState;
  phoneNumber?: string;
  customerToken?: string;
  customerReceiptToken?: string;
  loyaltyIds?: string[];
  partialCapturePossible?: boolean;
  capturedAmount?: bigint;
  expiresAt?: number;
  createdAt: number;
  history: { status: PosPaymentState; at: number }[];
  /** Arrival times of GET /payments/{id}: the tests check the poll rate against these. */
  polls: number[];
  throttled: number;
}

export interface SimRefund {
  refundId: string;
  paymentId: string;
  clientId: string;
  merchantVat: string;
  refundOrderId: string;
  amount: bigint;
  currencyCode: 'DKK' | 'EUR';
  status: PosRefundState;
  createdAt: number;
  history: { status: PosRefundState; at: number }[];
  polls: number[];
  throttled: number;
}

/** PoS v10's "active" states: one of them on a PoS blocks a new payment (error 1301). */
export const ACTIVE_STATES: readonly PosPaymentState[] = [
  'Prepared',
  'Initiated',
  'Paired',
  'IssuedToUser',
];

export function isActive(payment: SimPayment): boolean {
  return ACTIVE_STATES.includes(payment.status);
}
