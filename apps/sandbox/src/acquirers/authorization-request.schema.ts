import { z } from 'zod';

const expiry = {
  expiryMonth: z.number().int().min(1).max(12),
  expiryYear: z.number().int().min(0).max(9999),
};

export const AuthorizationRequestSchema = z.strictObject({
  reference: z.string().min(1).max(100),
  merchantId: z.string().min(1),
  amount: z.number().int().positive().max(99_999_999_999),
  currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 alpha-3'),
  cardType: z.string().min(1),
  card: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('pan'), number: z.string().regex(/^\d{12,19}$/), ...expiry }),
    z.strictObject({
      kind: z.literal('network-token'),
      token: z.string().regex(/^\d{12,19}$/),
      ...expiry,
      cryptogram: z.string().min(1),
      eci: z.string().min(1),
      tokenMethod: z.string().min(1),
    }),
  ]),
  posCode: z.string().min(1).optional(),
  delegatedAuthentication: z.boolean().optional(),
  threeDS: z
    .strictObject({
      cryptogram: z.string().min(1),
      eci: z.string().min(1),
      version: z.string().optional(),
      dsTransactionId: z.string().optional(),
    })
    .optional(),
});

export type AuthorizationRequest = z.infer<typeof AuthorizationRequestSchema>;

export const BehaviourSchema = z.strictObject({
  delayMs: z.number().int().min(0).max(120_000).optional(),
  failNext: z.number().int().min(0).optional(),
  /** Inquiries answer 503: the outcome of a stalled authorization stays unknown to the PSP. */
  inquiryUnavailable: z.boolean().optional(),
  /** A new authorization is held this long before the acquirer acts on it (arrives late). */
  actAfterMs: z.number().int().min(0).max(120_000).optional(),
});

export type AcquirerBehaviour = Required<z.infer<typeof BehaviourSchema>>;
