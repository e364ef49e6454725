import { z } from 'zod';
import type { components } from './generated/pos-v10';
import { BEACON_TYPES, PLANNED_CAPTURE_DELAYS } from './pos-formats';

type Schemas = components['schemas'];

export type PosPaymentState = Schemas['QueryPaymentResponse']['status'];
export type PosRefundState = Schemas['RefundState'];
export type PaymentRestrictions = Schemas['PaymentRestrictions'];
export type CreatePosRequest = Schemas['CreatePosRequest'];
export type PreparePaymentRequest = Schemas['PreparePaymentRequest'];

export const POS_PAYMENT_STATES = [
  'Prepared',
  'Initiated',
  'Paired',
  'IssuedToUser',
  'Reserved',
  'CancelledByUser',
  'CancelledByClient',
  'CancelledByMobilePay',
  'ExpiredAndCancelled',
  'Captured',
] as const satisfies readonly PosPaymentState[];

export const POS_REFUND_STATES = [
  'Initiated',
  'Reserved',
  'Captured',
  'CancelledByClient',
  'CancelledByMobilePay',
  'ExpiredAndCaptured',
] as const satisfies readonly PosRefundState[];

/** Amounts on our side of the client: minor units. The client converts to PoS decimals. */
export interface InitiatePaymentInput {
  posId: string;
  orderId: string;
  amount: bigint;
  currencyCode: 'DKK' | 'EUR';
  plannedCaptureDelay: (typeof PLANNED_CAPTURE_DELAYS)[number];
  restrictions?: PaymentRestrictions | null;
  merchantPaymentLabel?: string | null;
}

export type ReadyPaymentInput = Omit<InitiatePaymentInput, 'posId' | 'orderId'>;

export interface CreateRefundInput {
  paymentId: string;
  refundOrderId: string;
  amount: bigint;
  currencyCode: 'DKK' | 'EUR';
}

/**
 * Response schemas. The client parses JSON with every number kept as its text, so amounts reach
 * the decimal conversion exactly as MobilePay wrote them.
 */
const numberText = z.string().regex(/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/);
const integer = numberText.transform(Number).pipe(z.number().int());

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: integer,
  token_type: z.string().optional(),
  scope: z.string().optional(),
});

export const paymentIdResponseSchema = z.object({ paymentId: z.guid() });

export const paymentResponseSchema = z.object({
  paymentId: z.guid(),
  posId: z.guid(),
  orderId: z.string(),
  amount: numberText.nullish(),
  currencyCode: z.enum(['DKK', 'EUR']).nullish(),
  restrictions: z
    .object({
      debitCardDisallowed: z.boolean().nullish(),
      creditCardDisallowed: z.boolean().nullish(),
    })
    .nullish(),
  merchantPaymentLabel: z.string().nullish(),
  plannedCaptureDelay: z.enum(PLANNED_CAPTURE_DELAYS).nullish(),
  status: z.enum(POS_PAYMENT_STATES),
  customerToken: z.string().nullish(),
  customerReceiptToken: z.string().nullish(),
  loyaltyIds: z.array(z.string()).nullish(),
  paymentExpiresAt: z.string().nullish(),
  partialCapturePossible: z.boolean().nullish(),
  pollDelayInMs: integer,
});

export const paymentIdsResponseSchema = z.object({ paymentIds: z.array(z.guid()) });

export const pointOfSaleResponseSchema = z.object({
  posId: z.guid(),
  merchantPosId: z.string(),
  storeId: z.guid(),
  name: z.string(),
  beaconId: z.string(),
  callbackAlias: z.string().nullish(),
  supportedBeaconTypes: z.array(z.enum(BEACON_TYPES)),
  requirePaymentBeforeCheckin: z.boolean(),
});

export const posIdResponseSchema = z.object({ posId: z.guid() });
export const posIdsResponseSchema = z.object({ posIds: z.array(z.guid()) });

export const checkInResponseSchema = z.object({
  isUserCheckedIn: z.boolean(),
  loyaltyIds: z.array(z.string()).nullish(),
  pollDelayInMs: integer,
  customerToken: z.string().nullish(),
  customerReceiptToken: z.string().nullish(),
});

export const storeResponseSchema = z.object({
  storeName: z.string(),
  storeId: z.guid(),
  storeStreet: z.string(),
  storeZipCode: z.string(),
  storeCity: z.string(),
  brandName: z.string(),
  merchantBrandId: z.string(),
  merchantLocationId: z.string(),
});

export const storeIdsResponseSchema = z.object({ storeIds: z.array(z.guid()) });

export const refundResponseSchema = z.object({
  refundId: z.guid(),
  paymentId: z.guid(),
  refundOrderId: z.string(),
  amount: numberText,
  currencyCode: z.enum(['DKK', 'EUR']),
  status: z.enum(POS_REFUND_STATES),
  pollDelayInMs: integer,
});

export const refundIdResponseSchema = z.object({ refundId: z.guid() });
export const refundIdsResponseSchema = z.object({ refundIds: z.array(z.guid()) });

export type PointOfSaleDetails = z.infer<typeof pointOfSaleResponseSchema>;
export type CheckIn = z.infer<typeof checkInResponseSchema>;
export type StoreDetails = z.infer<typeof storeResponseSchema>;

/** A payment as MobilePay reports it, with the amount in minor units. */
export type PaymentDetails = Omit<z.infer<typeof paymentResponseSchema>, 'amount'> & {
  amount: bigint | null;
};

export type RefundDetails = Omit<z.infer<typeof refundResponseSchema>, 'amount'> & {
  amount: bigint;
};
