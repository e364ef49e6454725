import { z } from 'zod';
import { MAX_MINOR_UNITS } from '@app/domain';
import {
  BEACON_TYPES,
  isBeaconId,
  isGuid,
  isPosText,
  PLANNED_CAPTURE_DELAYS,
  POS_CURRENCIES,
} from '@app/pos';

/** orderId, merchantPosId, names, labels: PoS v10's ≤ 36 "valid characters". */
const posText = z.string().refine((v) => isPosText(v), 'at most 36 of the valid characters');
const guid = z.string().refine(isGuid, 'must be a GUID');
/** Minor units (1250 = 12,50 kr.), as everywhere in our API. */
const amount = z.number().int().positive().max(MAX_MINOR_UNITS);

export const createPointOfSaleSchema = z
  .object({
    merchantPosId: posText,
    storeId: guid,
    name: posText,
    /** 15 digits (white box, terminal, sticker) or a GUID; omitted: MobilePay generates one (QR). */
    beaconId: z.string().refine(isBeaconId, '15 digits or a GUID').optional(),
    supportedBeaconTypes: z
      .array(z.enum(BEACON_TYPES))
      .min(1)
      .refine((t) => new Set(t).size === t.length, 'must be unique'),
    requirePaymentBeforeCheckin: z.boolean().optional(),
    callbackAlias: posText.optional(),
  })
  .strict();

export const pointOfSaleQuerySchema = z
  .object({
    storeId: guid.optional(),
    beaconId: z.string().max(36).optional(),
    merchantPosId: z.string().max(36).optional(),
  })
  .strict();

export const storeQuerySchema = z
  .object({
    merchantBrandId: z.string().max(10).optional(),
    merchantLocationId: z.string().max(5).optional(),
  })
  .strict();

const restrictions = z
  .object({
    debitCardDisallowed: z.boolean().optional(),
    creditCardDisallowed: z.boolean().optional(),
  })
  .strict();

const readyFields = {
  amount,
  currency: z.enum(POS_CURRENCIES),
  plannedCaptureDelay: z.enum(PLANNED_CAPTURE_DELAYS).default('None'),
  merchantPaymentLabel: posText.optional(),
  restrictions: restrictions.optional(),
};

/**
 * `flow: "initiate"` (default): the payment is issued to the user at once and needs the amount.
 * `flow: "prepare"`: started without an amount (loyalty, basket still being scanned); the amount
 * comes with POST …/ready.
 */
export const createPosPaymentSchema = z.discriminatedUnion('flow', [
  z
    .object({
      flow: z.literal('initiate'),
      pointOfSaleId: z.uuid(),
      orderId: posText,
      ...readyFields,
    })
    .strict(),
  z.object({ flow: z.literal('prepare'), pointOfSaleId: z.uuid(), orderId: posText }).strict(),
]);

export const readyPosPaymentSchema = z.object(readyFields).strict();

/** Full capture without an amount; a smaller amount only when partialCapturePossible. */
export const posCaptureSchema = z.object({ amount: amount.optional() }).strict();
export const posCancelSchema = z.object({}).strict();

export const createPosRefundSchema = z
  .object({
    /** Default: all that is captured and not refunded yet. */
    amount: amount.optional(),
    refundOrderId: posText.optional(),
    /** Capture as soon as MobilePay reserved it (default), or leave it to POST /capture|/cancel. */
    capture: z.boolean().default(true),
  })
  .strict();

export const listPosPaymentsQuerySchema = z
  .object({
    status: z
      .string()
      .regex(/^[A-Z_]{4,30}$/)
      .optional(),
    orderId: z.string().max(36).optional(),
    pointOfSaleId: z.uuid().optional(),
  })
  .strict();

export const listPosEventsQuerySchema = z.object({ paymentId: z.uuid().optional() }).strict();

export type CreatePointOfSaleDto = z.infer<typeof createPointOfSaleSchema>;
export type CreatePosPaymentDto = z.infer<typeof createPosPaymentSchema>;
export type ReadyPosPaymentDto = z.infer<typeof readyPosPaymentSchema>;
export type CreatePosRefundDto = z.infer<typeof createPosRefundSchema>;
