import { z } from 'zod';

export const epaymentIdentitySchema = z
  .object({
    /** The MSN Vipps MobilePay gave the merchant's sales unit (PSP Merchant API or portal). */
    merchantSerialNumber: z
      .string()
      .regex(/^\d{4,6}$/)
      .nullable(),
    /** Where new payments go; `EPAYMENT` needs an MSN. */
    paymentChannel: z.enum(['ONLINE', 'EPAYMENT']),
  })
  .strict()
  .refine((b) => b.paymentChannel === 'ONLINE' || b.merchantSerialNumber !== null, {
    path: ['merchantSerialNumber'],
    message: 'required for the EPAYMENT channel',
  });

export const epaymentIdentityViewSchema = z.object({
  id: z.uuid(),
  merchantSerialNumber: z.string().nullable(),
  paymentChannel: z.enum(['ONLINE', 'EPAYMENT']),
});
