import { z } from 'zod';
import type { CardType } from '@app/domain';

/*
 * The card callback (Vipps MobilePay → PSP, synchronous). The newest documented shape nests the
 * card under `cardInfo` with `cardDataType: TOKEN | PAN`; the first generation sent the same
 * fields flat with `paymentInstrument`. Both are accepted and normalised to one shape. Field
 * types follow the published examples: every value is a string, `eci` and expiry included.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((v) => !v.includes('\u0000') && !LONE_SURROGATE.test(v), 'must be valid text');
const digits = (min: number, max: number) => z.string().regex(new RegExp(`^\\d{${min},${max}}$`));

/** Hyphen in the callback's example, underscore in the create request: both are read. */
const CALLBACK_CARD_TYPES: Record<string, CardType> = {
  'VISA-DEBIT': 'VISA-DEBIT',
  VISA_DEBIT: 'VISA-DEBIT',
  'VISA-CREDIT': 'VISA-CREDIT',
  VISA_CREDIT: 'VISA-CREDIT',
  'MC-DEBIT': 'MC-DEBIT',
  MC_DEBIT: 'MC-DEBIT',
  'MC-CREDIT': 'MC-CREDIT',
  MC_CREDIT: 'MC-CREDIT',
  DANKORT: 'DANKORT',
  'ELEC-DEBIT': 'ELEC-DEBIT',
  ELEC_DEBIT: 'ELEC-DEBIT',
};

const cardType = z
  .string()
  .refine((v) => v in CALLBACK_CARD_TYPES, 'unknown card type')
  .transform((v) => CALLBACK_CARD_TYPES[v]);

const networkToken = z.object({
  number: digits(12, 19),
  cryptogram: z
    .string()
    .min(4)
    .max(256)
    .regex(/^[A-Za-z0-9+/=_-]+$/),
  expiryMonth: z.string().regex(/^(0?[1-9]|1[0-2])$/),
  expiryYear: z.string().regex(/^(\d{2}|\d{4})$/),
  tokenType: text(32).optional(),
  eci: z.string().regex(/^\d{1,2}$/),
  paymentAccountReference: text(64).nullish(),
});

const amount = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/),
  value: z.number().int().min(0).max(65_000_000),
});

const common = {
  pspReference: text(64),
  authorizationAttemptId: text(64),
  merchantSerialNumber: z.string().regex(/^\d{4,6}$/),
  amount: amount.optional(),
  softDeclineCompletedRedirectUrl: z.string().url().max(2048).optional(),
};

const cardFields = {
  maskedCardNumber: z
    .string()
    .regex(/^\d{6,8}[X*]+\d{4}$/i)
    .optional(),
  cardType,
  cardIssuedInCountryCode: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  networkToken: networkToken.optional(),
  encryptedPan: z.string().min(16).max(8192).optional(),
};

const nested = z.object({
  ...common,
  cardInfo: z.object({ ...cardFields, cardDataType: z.enum(['TOKEN', 'PAN']) }),
});

const flat = z.object({
  ...common,
  ...cardFields,
  paymentInstrument: z.enum(['TOKEN', 'PAN']),
});

export interface CardCallback {
  pspReference: string;
  authorizationAttemptId: string;
  merchantSerialNumber: string;
  amount?: { currency: string; value: number };
  softDeclineCompletedRedirectUrl?: string;
  maskedCardNumber?: string;
  cardType: CardType;
  cardIssuedInCountryCode?: string;
  card:
    | { kind: 'TOKEN'; networkToken: z.infer<typeof networkToken> }
    | { kind: 'PAN'; encryptedPan: string };
}

export const cardCallbackSchema = z
  .union([nested, flat])
  .superRefine((body, ctx) => {
    const info = 'cardInfo' in body ? body.cardInfo : body;
    const kind = 'cardInfo' in body ? body.cardInfo.cardDataType : body.paymentInstrument;
    const path = 'cardInfo' in body ? ['cardInfo'] : [];
    if (kind === 'TOKEN' && !info.networkToken)
      ctx.addIssue({ code: 'custom', path: [...path, 'networkToken'], message: 'required' });
    if (kind === 'PAN' && !info.encryptedPan)
      ctx.addIssue({ code: 'custom', path: [...path, 'encryptedPan'], message: 'required' });
  })
  .transform((body): CardCallback => {
    const info = 'cardInfo' in body ? body.cardInfo : body;
    const kind = 'cardInfo' in body ? body.cardInfo.cardDataType : body.paymentInstrument;
    return {
      pspReference: body.pspReference,
      authorizationAttemptId: body.authorizationAttemptId,
      merchantSerialNumber: body.merchantSerialNumber,
      amount: body.amount,
      softDeclineCompletedRedirectUrl: body.softDeclineCompletedRedirectUrl,
      maskedCardNumber: info.maskedCardNumber,
      cardType: info.cardType,
      cardIssuedInCountryCode: info.cardIssuedInCountryCode,
      card:
        kind === 'TOKEN'
          ? { kind: 'TOKEN', networkToken: info.networkToken! }
          : { kind: 'PAN', encryptedPan: info.encryptedPan! },
    };
  });

/** Our card type in the create request's spelling. */
export function toEpaymentCardType(type: CardType): string {
  return type.replace('-', '_');
}
