import { z } from 'zod';

/** Body of `POST /sandbox/v1/payments/{id}/swipe`: which card, and how the app behaves. */
export const SwipeRequestSchema = z.strictObject({
  cardNumber: z
    .string()
    .regex(/^[1-9]\d{11,18}$/, '12–19 digits')
    .optional(),
  cardType: z.string().min(1).optional(),
  expiryMonth: z.number().int().min(1).max(12).optional(),
  expiryYear: z.number().int().min(0).max(9999).optional(),
  allowInvalid: z.boolean().optional(),
  timestampTicks: z
    .union([z.string().regex(/^\d+$/), z.number().int().nonnegative()])
    .transform(String)
    .optional(),
  duplicateDeliveries: z.number().int().min(0).max(10).optional(),
  tokenize: z.boolean().optional(),
  cardIssuedInCountryCode: z.enum(['DK', 'FI']).optional(),
  isDelegatedAuthentication: z.boolean().optional(),
  deliveryAddressDifferent: z.boolean().optional(),
  phoneNumber: z.string().min(1).max(20).optional(),
});
