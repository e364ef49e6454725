import { z } from 'zod';
import { CARD_TYPES } from '@app/domain';

const uuid = z.string().uuid();

/**
 * The card-data callback, PascalCase as MobilePay sends it. Unknown fields are tolerated (and
 * dropped) because MobilePay may add some; known ones are strict.
 */
export const cardDataCallbackSchema = z.object({
  EncryptedCardData: z
    .string()
    .min(16)
    .max(2048)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64'),
  PaymentId: uuid,
  AuthorizationAttemptId: uuid,
  PublicKeyId: z.number().int().positive(),
  CardType: z.enum(CARD_TYPES),
});

export type CardDataCallback = z.infer<typeof cardDataCallbackSchema>;

/** Lone UTF-16 surrogates cannot be stored (Postgres rejects them, as it rejects NUL). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine(
      (value) => !value.includes('\u0000') && !LONE_SURROGATE.test(value),
      'must be valid text',
    );
const digitsOf = (min: number, max: number) => z.string().regex(new RegExp(`^\\d{${min},${max}}$`));
const cryptogram = z
  .string()
  .min(4)
  .max(256)
  .regex(/^[A-Za-z0-9+/=_-]+$/);
const eci = z.string().regex(/^\d{1,2}$/);

/*
 * Every leaf of the token data may be null in MobilePay's schema. What is there must be well
 * formed; a token without what an authorization needs is answered 501 (card-data failover).
 */

/** Visa Token Service data (VisaTokenCallbackPayload.tokenData). */
const visaTokenData = z.object({
  vPaymentDataID: text(128).nullish(),
  cryptogramInfo: z.object({ cryptogram: cryptogram.nullish(), eci: eci.nullish() }).nullish(),
  paymentInstrument: z
    .object({ last4: text(4).nullish(), paymentAccountReference: text(64).nullish() })
    .nullish(),
  tokenInfo: z
    .object({
      token: digitsOf(12, 19).nullish(),
      last4: text(4).nullish(),
      expirationDate: z
        .object({ month: digitsOf(1, 2).nullish(), year: digitsOf(2, 4).nullish() })
        .nullish(),
    })
    .nullish(),
});

/** Mastercard S4C data (MastercardTokenCallbackPayload.tokenData). */
const mastercardTokenData = z.object({
  token: z
    .object({
      paymentToken: digitsOf(12, 19).nullish(),
      tokenExpirationMonth: digitsOf(1, 2).nullish(),
      tokenExpirationYear: digitsOf(2, 4).nullish(),
      paymentAccountReference: text(64).nullish(),
    })
    .nullish(),
  dynamicData: z
    .object({ dynamicDataType: text(64).nullish(), dynamicDataValue: cryptogram.nullish() })
    .nullish(),
  eci: eci.nullish(),
});

const tokenCommon = {
  paymentId: uuid,
  authorizationAttemptId: uuid.optional(),
  agreementId: uuid.optional(),
  cardType: z.enum(CARD_TYPES),
  cardIssuedInCountryCode: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .nullish(),
  maskedCardNumber: text(32).nullish(),
  cardDataType: text(32).nullish(),
  isDelegatedAuthentication: z.boolean().nullish(),
};

/**
 * The token callback (camelCase). "VTS" and "MC S4C" carry different token data; the attempt is
 * named by authorizationAttemptId (payments) or agreementId (recurring).
 */
export const tokenCallbackSchema = z
  .discriminatedUnion('tokenMethod', [
    z.object({ ...tokenCommon, tokenMethod: z.literal('VTS'), tokenData: visaTokenData }),
    z.object({ ...tokenCommon, tokenMethod: z.literal('MC S4C'), tokenData: mastercardTokenData }),
  ])
  .refine((body) => body.authorizationAttemptId ?? body.agreementId, {
    message: 'authorizationAttemptId or agreementId is required',
    path: ['authorizationAttemptId'],
  });

export type TokenCallback = z.infer<typeof tokenCallbackSchema>;

const address = z.object({
  FirstName: text(200).nullish(),
  Surname: text(200).nullish(),
  Attention: text(200).nullish(),
  CompanyName: text(200).nullish(),
  AddressLine1: text(300).nullish(),
  AddressLine2: text(300).nullish(),
  PostalCode: text(20).nullish(),
  City: text(200).nullish(),
  CountryCode: text(3).nullish(),
  IsCustomerOfficialAddress: z.boolean().nullish(),
  IsBillingAddress: z.boolean(),
  IsDeliveryAddress: z.boolean(),
  AddressValidationMethod: text(50).nullish(),
  AddressValidationStatus: text(50).nullish(),
});

/** Checkout address callback (PascalCase), delivered before the card or token callback. */
export const checkoutCallbackSchema = z.object({
  PaymentId: uuid,
  AuthorizationAttemptId: uuid.nullish(),
  Addresses: z.array(address).min(1).max(2),
  EmailAddress: text(320).nullish(),
  EmailAddressValidationMethod: text(50).nullish(),
  EmailAddressValidationStatus: text(50).nullish(),
  PhoneNumber: text(32).nullish(),
  PhoneNumberValidationMethod: text(50).nullish(),
  PhoneNumberValidationStatus: text(50).nullish(),
});

export type CheckoutCallback = z.infer<typeof checkoutCallbackSchema>;

/** Failed-payment callback: `{"Code":"100","Reason":"Payment expired","PaymentId":…}`. */
export const failedPaymentCallbackSchema = z.object({
  Code: z.union([z.string().max(10), z.number().int()]).transform(String),
  Reason: text(500).nullish(),
  PaymentId: uuid,
});

export type FailedPaymentCallback = z.infer<typeof failedPaymentCallbackSchema>;
