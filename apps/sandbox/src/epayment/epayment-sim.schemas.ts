import { z } from 'zod';
import { EPAYMENT_CARD_TYPES, EPAYMENT_CURRENCIES, WEBHOOK_EVENT_TYPES } from '@app/epayment';

/*
 * Request bodies of the ePayment API as the OpenAPI 1.4.1 and the 2026 PSP documentation
 * describe them. Unknown fields are tolerated, as the real API does.
 */

const amount = z.object({
  currency: z.enum(EPAYMENT_CURRENCIES),
  value: z.number().int().min(0).max(65_000_000),
});

const httpsOrLocal = z
  .string()
  .url()
  .max(2048)
  .refine((v) => /^https:\/\//.test(v) || /^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(v), {
    message: 'must be https',
  });

export const createPaymentSchema = z
  .object({
    amount,
    paymentMethod: z.object({ type: z.enum(['WALLET', 'CARD', 'CARD_PASSTHROUGH']) }),
    cardPassthrough: z
      .object({
        pspReference: z.string().min(1).max(64),
        cardCallbackUrl: httpsOrLocal,
        allowedCardTypes: z.array(z.enum(EPAYMENT_CARD_TYPES)).min(1),
        preferVisaPartOfVisaDankort: z.boolean().optional(),
        publicEncryptionKeyId: z.string().uuid().optional(),
        cardCallbackAuthHeader: z.string().max(1024).optional(),
      })
      .optional(),
    reference: z.string().regex(/^[a-zA-Z0-9-]{8,64}$/),
    userFlow: z.enum(['WEB_REDIRECT', 'NATIVE_REDIRECT', 'PUSH_MESSAGE', 'QR']),
    returnUrl: z.string().max(2048).optional(),
    customer: z.object({ phoneNumber: z.string().regex(/^\d{9,15}$/) }).optional(),
    customerInteraction: z.enum(['CUSTOMER_PRESENT', 'CUSTOMER_NOT_PRESENT']).optional(),
    paymentDescription: z.string().min(3).max(100).optional(),
    expiresAt: z.string().optional(),
    metadata: z.record(z.string(), z.string()).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.amount.currency === 'DKK' && body.amount.value < 1)
      ctx.addIssue({ code: 'custom', path: ['amount', 'value'], message: 'minimum is 1 øre' });
    if (body.userFlow === 'WEB_REDIRECT' && !body.returnUrl)
      ctx.addIssue({ code: 'custom', path: ['returnUrl'], message: 'required for WEB_REDIRECT' });
    if (
      body.returnUrl &&
      !/^(https:\/\/|http:\/\/(127\.0\.0\.1|localhost)|[a-z][a-z0-9+.-]*:\/\/)/i.test(
        body.returnUrl,
      )
    )
      ctx.addIssue({ code: 'custom', path: ['returnUrl'], message: 'https or a custom scheme' });
    if (body.userFlow === 'PUSH_MESSAGE' && !body.customer?.phoneNumber)
      ctx.addIssue({ code: 'custom', path: ['customer'], message: 'required for PUSH_MESSAGE' });
    if (body.expiresAt && body.userFlow !== 'PUSH_MESSAGE' && body.userFlow !== 'QR')
      ctx.addIssue({
        code: 'custom',
        path: ['expiresAt'],
        message: 'only with PUSH_MESSAGE or QR',
      });
  });

export type CreatePaymentBody = z.infer<typeof createPaymentSchema>;

export const modificationSchema = z.object({ modificationAmount: amount });
export const cancelSchema = z.object({ cancelTransactionOnly: z.boolean().optional() }).optional();

export const forceApproveSchema = z.union([
  z.object({ customer: z.object({ phoneNumber: z.string().regex(/^\d{9,15}$/) }) }),
  z.object({ token: z.string().min(1) }),
]);

/** Sandbox-only: which test card the simulated user picks, and the callback's shape. */
export const sandboxApproveSchema = z
  .object({
    cardNumber: z
      .string()
      .regex(/^\d{12,19}$/)
      .optional(),
    cardType: z.enum(['VISA-DEBIT', 'VISA-CREDIT', 'MC-DEBIT', 'MC-CREDIT', 'DANKORT']).optional(),
    cardIssuedInCountryCode: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    shape: z.enum(['nested', 'flat']).optional(),
    /** Reuse an attempt id (a duplicate callback for the same attempt). */
    attemptId: z.string().min(1).max(64).optional(),
  })
  .strict();

export const registerWebhookSchema = z.object({
  url: httpsOrLocal,
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1),
});
