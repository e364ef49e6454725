import { z } from 'zod';

/** Body of a capture, refund or cancel: the operation's own reference and its amount. */
export const OperationRequestSchema = z.strictObject({
  reference: z.string().min(1).max(100),
  amount: z.number().int().positive().max(99_999_999_999),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'ISO 4217 alpha-3')
    .optional(),
});

export type OperationRequest = z.infer<typeof OperationRequestSchema>;
