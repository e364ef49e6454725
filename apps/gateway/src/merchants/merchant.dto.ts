import { z } from 'zod';

/** http(s) here; the scheme rule (https, or http to loopback outside production) is the verifier's. */
const logoUrl = z.string().url().max(2048);

/**
 * The merchant's own acquirer routes over the platform's (ACQUIRER_ROUTES): card type or `*`,
 * optionally `:<issuing country>` for network tokens → acquirer name. Checked against the
 * acquirers this deployment has.
 */
export const acquirerRoutesSchema = z
  .record(z.string().min(1).max(40), z.string().min(1).max(60))
  .refine((routes) => Object.keys(routes).length <= 50, 'at most 50 routes');

export const onboardMerchantSchema = z
  .object({
    externalId: z.string().min(1).max(100),
    name: z.string().min(1).max(255),
    /** The name the shopper sees in the MobilePay app. */
    displayName: z.string().trim().min(1).max(100),
    merchantUrl: z.string().min(1).max(150),
    /** 250×250 PNG or JPEG over https, served with its content type (checked when onboarding). */
    logoUrl,
    merchantCategoryCode: z.number().int().min(1).max(9999),
    billingCurrency: z.enum(['DKK', 'EUR', 'SEK', 'NOK']),
    countryCode: z.string().regex(/^[A-Z]{2}$/),
    vatNumber: z.string().min(1).max(30),
    /** The card acceptor id at the acquirers: ISO 8583 field 42 holds at most 15 characters. */
    acquirerMerchantId: z
      .string()
      .min(1)
      .max(15)
      .regex(/^[\x20-\x7e]+$/, 'printable ASCII'),
    acquirerRoutes: acquirerRoutesSchema.optional(),
  })
  .strict();

export type OnboardMerchantDto = z.infer<typeof onboardMerchantSchema>;

/** What a merchant may change itself: what the shopper sees. */
export const updateMerchantSchema = z
  .object({
    displayName: z.string().trim().min(1).max(100).optional(),
    merchantUrl: z.string().min(1).max(150).optional(),
    logoUrl: logoUrl.optional(),
  })
  .strict()
  .refine((update) => Object.keys(update).length > 0, 'at least one field is required');

export type UpdateMerchantDto = z.infer<typeof updateMerchantSchema>;

/** What the PSP's back office sets on a merchant: its routing (null: the platform's). */
export const merchantRoutingSchema = z
  .object({ acquirerRoutes: acquirerRoutesSchema.nullable() })
  .strict();

export type MerchantRoutingDto = z.infer<typeof merchantRoutingSchema>;
