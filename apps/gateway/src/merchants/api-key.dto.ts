import { z } from 'zod';
import type { ApiKey } from '@app/persistence';

/** Longest grace a rotated key keeps working: a week. */
export const MAX_GRACE_SECONDS = 7 * 24 * 60 * 60;

export const createApiKeySchema = z
  .object({ label: z.string().trim().min(1).max(100).optional() })
  .strict();

export const rotateApiKeySchema = z
  .object({
    label: z.string().trim().min(1).max(100).optional(),
    /** How long the old key keeps working (0 = revoked at once). */
    gracePeriodSeconds: z.number().int().min(0).max(MAX_GRACE_SECONDS).optional(),
  })
  .strict();

export type CreateApiKeyDto = z.infer<typeof createApiKeySchema>;
export type RotateApiKeyDto = z.infer<typeof rotateApiKeySchema>;

export const apiKeyViewSchema = z.object({
  id: z.uuid(),
  /** The public part of the key (`psk_<prefix>_…`): tells keys apart, grants nothing. */
  prefix: z.string(),
  label: z.string().nullable(),
  createdAt: z.iso.datetime(),
  /** When the key stopped (or, during a rotation's grace period, will stop) working. */
  revokedAt: z.iso.datetime().nullable(),
  active: z.boolean(),
});

export const issuedApiKeySchema = apiKeyViewSchema.extend({
  /** The key itself, shown this once; only its hash is stored. */
  apiKey: z.string(),
});

export const rotatedApiKeySchema = z.object({
  created: issuedApiKeySchema,
  revoked: apiKeyViewSchema,
});

export const apiKeyListSchema = z.object({ data: z.array(apiKeyViewSchema) });

export type ApiKeyView = z.infer<typeof apiKeyViewSchema>;
export type IssuedApiKeyView = z.infer<typeof issuedApiKeySchema>;
export type RotatedApiKeyView = z.infer<typeof rotatedApiKeySchema>;

export function toApiKeyView(key: ApiKey, now: Date = new Date()): ApiKeyView {
  return {
    id: key.id,
    prefix: `psk_${key.prefix}`,
    label: key.label,
    createdAt: key.createdAt.toISOString(),
    revokedAt: key.revokedAt?.toISOString() ?? null,
    active: key.revokedAt === null || key.revokedAt > now,
  };
}
