import { z } from 'zod';
import { CARD_TYPES, MAX_MINOR_UNITS, isCurrency } from '@app/domain';

export const createPaymentSchema = z
  .object({
    /** Minor units (495 = 4,95). Integers only: money is never a float here. */
    amount: z.number().int().positive().max(MAX_MINOR_UNITS),
    /** ISO 4217, alphabetic ("DKK") or numeric ("208"). */
    currency: z
      .string()
      .refine(isCurrency, 'must be one of DKK EUR NOK SEK USD GBP or 208 978 578 752 840 826'),
    orderId: z.string().min(1).max(50),
    allowedCardTypes: z.array(z.enum(CARD_TYPES)).min(1).max(CARD_TYPES.length).optional(),
    /** Where the shopper returns to; required online, not for an in-person ePayment. */
    redirectFromMobilePayUrl: z.string().url().max(2048).optional(),
    /**
     * ePayment channel only: how the shopper meets the payment. In person: `PUSH_MESSAGE` (with
     * `customerPhoneNumber`) or `QR`, with `customerPresent: true`. Default `WEB_REDIRECT`.
     */
    userFlow: z.enum(['WEB_REDIRECT', 'NATIVE_REDIRECT', 'PUSH_MESSAGE', 'QR']).optional(),
    customerPhoneNumber: z
      .string()
      .regex(/^\d{9,15}$/, 'MSISDN with country code, e.g. 4512345678')
      .optional(),
    customerPresent: z.boolean().optional(),
    description: z.string().min(3).max(100).optional(),
    /** MobilePay Checkout: the shopper picks billing (and maybe delivery) address in the app. */
    checkout: z
      .object({
        deliveryAddressAllowed: z.boolean(),
        /** Required when delivery is not allowed: 1–5 as in MobilePay's API. */
        deliveryAddressDisallowedReasonCode: z.number().int().min(1).max(5).optional(),
        deliveryLimitedTo: z
          .array(z.string().regex(/^[A-Z]{2}$/))
          .max(50)
          .optional(),
      })
      .strict()
      .refine(
        (c) => c.deliveryAddressAllowed || c.deliveryAddressDisallowedReasonCode !== undefined,
        {
          message: 'deliveryAddressDisallowedReasonCode is required when delivery is not allowed',
          path: ['deliveryAddressDisallowedReasonCode'],
        },
      )
      .optional(),
  })
  .strict();

export type CreatePaymentDto = z.infer<typeof createPaymentSchema>;

/** The payment statuses a list can be filtered by (merchant API and back office). */
export const PAYMENT_STATUSES = [
  'CREATED',
  'INITIATED',
  'AUTHORIZED',
  'FAILED',
  'EXPIRED',
  'CANCELLED',
  'INVALIDATED',
] as const;

export const MAX_PAGE_SIZE = 100;

/** GET /v1/payments: filters and a cursor; query strings, so numbers come as text. */
export const listPaymentsQuerySchema = z
  .object({
    status: z.enum(PAYMENT_STATUSES).optional(),
    orderId: z.string().min(1).max(50).optional(),
    /** Inclusive lower bound of createdAt (ISO 8601). */
    createdFrom: z.iso.datetime({ offset: true }).optional(),
    /** Exclusive upper bound of createdAt (ISO 8601). */
    createdTo: z.iso.datetime({ offset: true }).optional(),
    limit: z
      .string()
      .regex(/^\d{1,3}$/)
      .refine((v) => Number(v) >= 1 && Number(v) <= MAX_PAGE_SIZE, `1 to ${MAX_PAGE_SIZE}`)
      .optional(),
    /** `nextCursor` of the previous page. */
    cursor: z.string().min(1).max(200).optional(),
  })
  .strict();

export type ListPaymentsQuery = z.infer<typeof listPaymentsQuerySchema>;

const amount = z.number().int().positive().max(MAX_MINOR_UNITS);

/** Partial or full capture: without an amount, all that is left uncaptured. */
export const captureSchema = z.object({ amount: amount.optional() }).strict();
/** Partial or full refund: without an amount, all that was captured and not refunded. */
export const refundSchema = z.object({ amount: amount.optional() }).strict();
/** A cancel voids all that is left uncaptured (after partial captures: the rest). */
export const cancelSchema = z.object({}).strict();

export type OperationDto = { amount?: number };
