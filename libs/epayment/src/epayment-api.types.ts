/*
 * Vipps MobilePay ePayment API types: the OpenAPI 1.4.1 schemas (CreatePaymentRequest,
 * GetPaymentResponse, ModificationResponse, PaymentEvent, Problem) plus the PSP additions of 2026
 * (paymentMethod CARD_PASSTHROUGH, the cardPassthrough object, the card callback) that the public
 * OpenAPI does not carry yet.
 */

/** Currencies a card-passthrough agreement may cover (all of them by default since June 2026). */
export const EPAYMENT_CURRENCIES = ['NOK', 'DKK', 'EUR', 'SEK', 'USD', 'GBP'] as const;
export type EpaymentCurrency = (typeof EPAYMENT_CURRENCIES)[number];

export interface EpaymentAmount {
  currency: string;
  /** Minor units, 0 … 65,000,000. */
  value: number;
}

/** Card types in the create request: underscore, unlike the callback's and MobilePay Online's hyphen. */
export const EPAYMENT_CARD_TYPES = [
  'VISA_DEBIT',
  'VISA_CREDIT',
  'MC_CREDIT',
  'MC_DEBIT',
  'DANKORT',
] as const;
export type EpaymentCardType = (typeof EPAYMENT_CARD_TYPES)[number];

export type UserFlow = 'WEB_REDIRECT' | 'NATIVE_REDIRECT' | 'PUSH_MESSAGE' | 'QR';
export type CustomerInteraction = 'CUSTOMER_PRESENT' | 'CUSTOMER_NOT_PRESENT';

export interface CardPassthrough {
  pspReference: string;
  cardCallbackUrl: string;
  allowedCardTypes: EpaymentCardType[];
  preferVisaPartOfVisaDankort?: boolean;
  publicEncryptionKeyId?: string;
  /** First-generation field, superseded by the HMAC signature; sent only when configured. */
  cardCallbackAuthHeader?: string;
}

export interface CreatePaymentRequest {
  amount: EpaymentAmount;
  paymentMethod: { type: 'CARD_PASSTHROUGH' | 'WALLET' | 'CARD' };
  cardPassthrough?: CardPassthrough;
  reference: string;
  userFlow: UserFlow;
  returnUrl?: string;
  customer?: { phoneNumber: string };
  customerInteraction?: CustomerInteraction;
  paymentDescription?: string;
  expiresAt?: string;
  qrFormat?: { format: 'IMAGE/SVG+XML' | 'IMAGE/PNG' | 'TEXT/TARGETURL'; size?: number };
  metadata?: Record<string, string>;
}

export interface CreatePaymentResponse {
  redirectUrl?: string;
  reference: string;
}

export type PaymentState = 'CREATED' | 'ABORTED' | 'EXPIRED' | 'AUTHORIZED' | 'TERMINATED';

export interface Aggregate {
  authorizedAmount: EpaymentAmount;
  cancelledAmount: EpaymentAmount;
  capturedAmount: EpaymentAmount;
  refundedAmount: EpaymentAmount;
}

export interface GetPaymentResponse {
  aggregate: Aggregate;
  amount: EpaymentAmount;
  state: PaymentState;
  paymentMethod: { type: string; cardBin?: string };
  pspReference: string;
  redirectUrl?: string;
  reference: string;
  captureGuaranteedUntil?: string;
}

export interface ModificationResponse {
  amount: EpaymentAmount;
  state: PaymentState;
  aggregate: Aggregate;
  pspReference: string;
  reference: string;
}

export type PaymentEventName =
  | 'CREATED'
  | 'ABORTED'
  | 'EXPIRED'
  | 'CANCELLED'
  | 'CAPTURED'
  | 'REFUNDED'
  | 'AUTHORIZED'
  | 'TERMINATED';

export interface PaymentEvent {
  reference: string;
  pspReference: string;
  name: PaymentEventName;
  amount: EpaymentAmount;
  timestamp: string;
  idempotencyKey?: string | null;
  success: boolean;
}

/** The Webhooks API payload (epayments.payment.*.v1). */
export interface WebhookEvent extends PaymentEvent {
  msn: string;
}

export const WEBHOOK_EVENT_TYPES = [
  'epayments.payment.created.v1',
  'epayments.payment.aborted.v1',
  'epayments.payment.expired.v1',
  'epayments.payment.cancelled.v1',
  'epayments.payment.captured.v1',
  'epayments.payment.refunded.v1',
  'epayments.payment.authorized.v1',
  'epayments.payment.terminated.v1',
] as const;

export interface RegisterWebhookResponse {
  id: string;
  secret: string;
}

/** RFC 7807 problem as the ePayment API answers it; the numeric code sits in `extraDetails`. */
export interface Problem {
  type?: string;
  title?: string;
  detail?: string;
  instance?: string;
  status?: number;
  traceId?: string;
  extraDetails?: { name: string; reason: string }[];
}

export interface AccessTokenResponse {
  token_type: string;
  expires_in: string;
  access_token: string;
  expires_on?: string;
}

/** The synchronous answer to the card callback. */
export type CardCallbackResponse =
  | { status: 'RESERVE'; networkTransactionReference: string }
  | { status: 'FAIL'; errorCode: number; errorMessage: string }
  | { status: 'SOFT_DECLINE'; softDeclineUrl: string };
