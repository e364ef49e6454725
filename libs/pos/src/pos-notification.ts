import { z } from 'zod';

const guid = z.string().regex(/^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/, 'GUID');
const text = z.string().min(1).max(100);

/**
 * What MobilePay's notification service POSTs to the integrator's endpoint (the one its
 * `CallbackAlias` names) when a client should look up the check-in on a point of sale. PascalCase
 * as MobilePay sends it; fields MobilePay may add are tolerated (and dropped).
 */
export const posCheckInNotificationSchema = z.object({
  MerchantId: guid,
  MerchantBrandId: text.optional(),
  MerchantLocationId: text.optional(),
  MerchantPosId: text.optional(),
  PosId: guid,
});

export type PosCheckInNotification = z.infer<typeof posCheckInNotificationSchema>;
