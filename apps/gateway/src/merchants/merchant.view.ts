import { z } from 'zod';
import type { Merchant } from '@app/persistence';

export const merchantViewSchema = z.object({
  id: z.uuid(),
  externalId: z.string(),
  name: z.string(),
  displayName: z.string(),
  merchantUrl: z.string(),
  logoUrl: z.string(),
  merchantCategoryCode: z.number().int(),
  billingCurrency: z.string(),
  countryCode: z.string(),
  vatNumber: z.string(),
  mobilePayMerchantId: z.uuid().nullable(),
  status: z.enum(['ACTIVE', 'OFFBOARDED']),
  logoCheckedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  offboardedAt: z.iso.datetime().nullable(),
});

export type MerchantView = z.infer<typeof merchantViewSchema>;

/** The back office's view: also how the merchant's payments are routed. */
export const adminMerchantViewSchema = merchantViewSchema.extend({
  acquirerRoutes: z.record(z.string(), z.string()).nullable(),
});

export type AdminMerchantView = z.infer<typeof adminMerchantViewSchema>;

export function toAdminMerchantView(merchant: Merchant): AdminMerchantView {
  return {
    ...toMerchantView(merchant),
    acquirerRoutes: (merchant.acquirerRoutes as Record<string, string> | null) ?? null,
  };
}

export const onboardedMerchantSchema = z.object({
  merchant: merchantViewSchema,
  /** Shown once; only its hash is stored. */
  apiKey: z.string(),
});

export type OnboardedMerchant = z.infer<typeof onboardedMerchantSchema>;

export function toMerchantView(merchant: Merchant): MerchantView {
  return {
    id: merchant.id,
    externalId: merchant.externalId,
    name: merchant.name,
    displayName: merchant.displayName,
    merchantUrl: merchant.merchantUrl,
    logoUrl: merchant.logoUrl,
    merchantCategoryCode: merchant.merchantCategoryCode,
    billingCurrency: merchant.billingCurrency,
    countryCode: merchant.countryCode,
    vatNumber: merchant.vatNumber,
    mobilePayMerchantId: merchant.mobilePayMerchantId,
    status: merchant.status,
    logoCheckedAt: merchant.logoCheckedAt?.toISOString() ?? null,
    createdAt: merchant.createdAt.toISOString(),
    offboardedAt: merchant.offboardedAt?.toISOString() ?? null,
  };
}
