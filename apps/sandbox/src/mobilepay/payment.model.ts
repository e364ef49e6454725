import type {
  AllowedCardType,
  InitiatePaymentV3Request,
  OperationKind,
  UpdateAuthorizationAttemptRequest,
} from './online-api.types';

export type PaymentStatus = 'INITIATED' | 'AUTHORIZED' | 'EXPIRED' | 'INVALIDATED' | 'REJECTED';

/**
 * - checkout: the Checkout address callback is being delivered (before the card/token callback)
 * - abandoned: the payment ended (invalidated, expired) between the address and the card callback
 * - delivering: card-data or token callback being delivered (retries within the window)
 * - callback-failed: never acked; the user may swipe again
 * - awaiting-patch: acked; the PSP owes a final PATCH before `deadlineAt`
 * - three-ds: patched 1008/1009; challenge ongoing
 * - succeeded / failed: final PATCH received
 * - deadline-missed: no final PATCH in time; the user may swipe again
 */
export type AttemptState =
  | 'checkout'
  | 'abandoned'
  | 'delivering'
  | 'callback-failed'
  | 'awaiting-patch'
  | 'three-ds'
  | 'succeeded'
  | 'failed'
  | 'deadline-missed';

export const OPEN_ATTEMPT_STATES: readonly AttemptState[] = [
  'delivering',
  'awaiting-patch',
  'three-ds',
];

/** While one of these, the user cannot swipe again (or reject). */
export const BUSY_ATTEMPT_STATES: readonly AttemptState[] = [...OPEN_ATTEMPT_STATES, 'checkout'];

export type CallbackKind = 'card-data' | 'token' | 'address' | 'failed-payment';

export interface Delivery {
  at: string;
  kind?: CallbackKind;
  status: number | null;
  error?: string;
  latencyMs: number;
  duplicate?: boolean;
}

export interface PatchRecord {
  at: string;
  body: UpdateAuthorizationAttemptRequest;
  status: number;
  late: boolean;
}

export interface AttemptOutcome {
  succeeded: boolean;
  reasonCode: number | null;
  reason?: string;
}

/** What the inspection API may show of a token callback: never the token or cryptogram. */
export interface TokenSummary {
  tokenMethod: 'VTS' | 'MC S4C';
  maskedToken: string;
  eci: string;
  cardIssuedInCountryCode: 'DK' | 'FI';
  isDelegatedAuthentication?: boolean;
}

export interface CheckoutRecord {
  status: 'delivering' | 'acked' | 'failed';
  addresses: number;
  deliveries: Delivery[];
}

/** The app's 3DS web view: opened on `open-3ds`, landed once the PSP redirected to done3ds.html. */
export interface ThreeDsRecord {
  url: string;
  opened: boolean;
  landedOnDone3ds: boolean;
  openedAt?: string;
  landedAt?: string;
  hops?: { url: string; status: number | null; error?: string }[];
  finalUrl?: string;
  status?: number | null;
}

export interface Attempt {
  authorizationAttemptId: string;
  paymentId: string;
  cardType: string;
  maskedCardNumber: string;
  state: AttemptState;
  callbackStatus: 'delivering' | 'acked' | 'failed';
  /** The card callback used (null until one is sent, e.g. during the address callback). */
  callbackKind: 'card-data' | 'token' | null;
  /** The token callback was answered 501 and the card-data callback took over. */
  failedOver: boolean;
  token: TokenSummary | null;
  checkout: CheckoutRecord | null;
  threeDs: ThreeDsRecord | null;
  deliveries: Delivery[];
  patches: PatchRecord[];
  final: AttemptOutcome | null;
  createdAt: string;
  deadlineAt: number | null;
  late: boolean;
}

export interface Operation {
  id: string;
  identifier: string;
  amount: number;
  timestamp: string;
  at: string;
}

export interface Payment {
  paymentId: string;
  clientId: string;
  request: InitiatePaymentV3Request;
  merchantId: string;
  pspReferenceId: string;
  merchantOrderId: string;
  amount: number;
  /** Always alphabetic, whichever form the PSP sent. */
  currencyCode: string;
  allowedCardTypes: AllowedCardType[];
  publicKeyId: number;
  status: PaymentStatus;
  createdAt: string;
  expiresAt: number;
  authorizedAmount: number;
  capturedAmount: number;
  refundedAmount: number;
  cancelledAmount: number;
  operations: Record<OperationKind, Map<string, Operation>>;
  attempts: Attempt[];
  failedCallback: { status: 'delivering' | 'acked' | 'failed'; deliveries: Delivery[] } | null;
}
