import { z } from 'zod';
import {
  PosPaymentStatus,
  PosRefundStatus,
  type PosPayment,
  type PosPaymentWithRefunds,
  type PosPointOfSale,
  type PosRefund,
} from '@app/persistence';
import { storeResponseSchema } from '@app/pos';

/**
 * What /v1/pos answers, as zod schemas: the view functions are typed by them and the OpenAPI
 * document is generated from them. Amounts in minor units, states in our UPPER_SNAKE names, like
 * the Online API (/v1/payments).
 */
const settlement = z.enum(['CAPTURE', 'CANCEL']).nullable();

export const pointOfSaleViewSchema = z.object({
  id: z.uuid(),
  mobilePayPosId: z.uuid().nullable(),
  merchantPosId: z.string(),
  storeId: z.uuid(),
  name: z.string(),
  beaconId: z.string().nullable(),
  supportedBeaconTypes: z.array(z.string()),
  requirePaymentBeforeCheckin: z.boolean(),
  callbackAlias: z.string().nullable(),
  status: z.enum(['CREATING', 'ACTIVE', 'FAILED', 'DELETED']),
  createdAt: z.iso.datetime(),
});

export const posRefundViewSchema = z.object({
  id: z.uuid(),
  paymentId: z.uuid(),
  mobilePayRefundId: z.uuid().nullable(),
  refundOrderId: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  status: z.enum(Object.values(PosRefundStatus)),
  autoCapture: z.boolean(),
  /** A capture or cancel MobilePay has not confirmed yet; we keep delivering it. */
  pendingSettlement: settlement,
  lastError: z.string().nullable(),
  createdAt: z.iso.datetime(),
});

export const posPaymentViewSchema = z.object({
  id: z.uuid(),
  pointOfSaleId: z.uuid(),
  mobilePayPaymentId: z.uuid().nullable(),
  orderId: z.string(),
  flow: z.enum(['initiate', 'prepare']),
  status: z.enum(Object.values(PosPaymentStatus)),
  /** Null for a prepared payment until it is ready. */
  amount: z.number().int().nullable(),
  currency: z.string().nullable(),
  capturedAmount: z.number().int(),
  refundedAmount: z.number().int(),
  partialCapturePossible: z.boolean().nullable(),
  plannedCaptureDelay: z.string().nullable(),
  merchantPaymentLabel: z.string().nullable(),
  restrictions: z.unknown().nullable(),
  loyaltyIds: z.array(z.string()),
  customerToken: z.string().nullable(),
  /** A capture or cancel MobilePay has not confirmed yet; we keep delivering it. */
  pendingSettlement: settlement,
  /** A reservation not captured or cancelled by then is cancelled by MobilePay. */
  reservationExpiresAt: z.iso.datetime().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  refunds: z.array(posRefundViewSchema),
});

export const checkInViewSchema = z.object({
  isUserCheckedIn: z.boolean(),
  loyaltyIds: z.array(z.string()).nullable(),
  customerToken: z.string().nullable(),
  /** Ask again no sooner than this (MobilePay's call throttling). */
  pollDelayInMs: z.number().int(),
});

export const storeViewSchema = storeResponseSchema;

export type PointOfSaleView = z.infer<typeof pointOfSaleViewSchema>;
export type PosRefundView = z.infer<typeof posRefundViewSchema>;
export type PosPaymentView = z.infer<typeof posPaymentViewSchema>;
export type PosPaymentListSource = PosPaymentWithRefunds[];

export function toPointOfSaleView(pos: PosPointOfSale): PointOfSaleView {
  return {
    id: pos.id,
    mobilePayPosId: pos.mobilePayPosId,
    merchantPosId: pos.merchantPosId,
    storeId: pos.storeId,
    name: pos.name,
    beaconId: pos.beaconId,
    supportedBeaconTypes: pos.supportedBeaconTypes,
    requirePaymentBeforeCheckin: pos.requirePaymentBeforeCheckin,
    callbackAlias: pos.callbackAlias,
    status: pos.status,
    createdAt: pos.createdAt.toISOString(),
  };
}

export function toPosRefundView(refund: PosRefund): PosRefundView {
  return {
    id: refund.id,
    paymentId: refund.posPaymentId,
    mobilePayRefundId: refund.mobilePayRefundId,
    refundOrderId: refund.refundOrderId,
    amount: Number(refund.amount),
    currency: refund.currency,
    status: refund.status,
    autoCapture: refund.autoCapture,
    pendingSettlement: refund.settlement,
    lastError: refund.lastError,
    createdAt: refund.createdAt.toISOString(),
  };
}

export function toPosPaymentView(payment: PosPayment & { refunds?: PosRefund[] }): PosPaymentView {
  return {
    id: payment.id,
    pointOfSaleId: payment.pointOfSaleId,
    mobilePayPaymentId: payment.mobilePayPaymentId,
    orderId: payment.orderId,
    flow: payment.prepared ? 'prepare' : 'initiate',
    status: payment.status,
    amount: payment.amount === null ? null : Number(payment.amount),
    currency: payment.currency,
    capturedAmount: Number(payment.capturedAmount),
    refundedAmount: Number(payment.refundedAmount),
    partialCapturePossible: payment.partialCapturePossible,
    plannedCaptureDelay: payment.plannedCaptureDelay,
    merchantPaymentLabel: payment.merchantPaymentLabel,
    restrictions: payment.restrictions,
    loyaltyIds: payment.loyaltyIds,
    customerToken: payment.customerToken,
    pendingSettlement: payment.settlement,
    reservationExpiresAt: payment.expiresAt?.toISOString() ?? null,
    lastError: payment.lastError,
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
    refunds: (payment.refunds ?? []).map(toPosRefundView),
  };
}
