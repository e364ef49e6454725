import { constants, publicEncrypt, randomBytes, randomUUID } from 'node:crypto';

/** Completes `partial` with its Luhn check digit (test tokens are built, not written down). */
function withLuhnDigit(partial: string): string {
  for (let check = 0; check <= 9; check++) {
    const candidate = `${partial}${check}`;
    let sum = 0;
    for (let i = 0; i < candidate.length; i++) {
      let d = candidate.charCodeAt(candidate.length - 1 - i) - 48;
      if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

/** The network tokens of MobilePay's documentation examples (VTS and MC S4C). */
export const VISA_TEST_TOKEN = withLuhnDigit('489573746201340');
export const MASTERCARD_TEST_TOKEN = withLuhnDigit('520473161394262');

/** .NET ticks for a moment, as MobilePay writes `timestampticks`. */
export function ticksAt(millis: number): string {
  return (BigInt(millis) * 10_000n + 621_355_968_000_000_000n).toString();
}

export interface PlainCard {
  pan: string;
  expiryMonth: number;
  expiryYear: number;
  ticks?: string;
}

/** Encrypts card data the way MobilePay does: RSA-OAEP, SHA-256 and MGF1-SHA-256, base64. */
export function encryptCard(publicKeyPem: string, card: PlainCard): string {
  // Built as text so 16–19 digit numbers keep every digit (JSON numbers, as MobilePay sends them).
  const plaintext =
    `{"timestampticks":${card.ticks ?? ticksAt(Date.now())},"encryptedCardData":` +
    `{"cardNumber":${card.pan},"expiryMonth":${card.expiryMonth},"expiryYear":${card.expiryYear}}}`;
  return publicEncrypt(
    { key: publicKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    Buffer.from(plaintext),
  ).toString('base64');
}

export function cardDataCallback(
  publicKeyPem: string,
  publicKeyId: number,
  paymentId: string,
  card: PlainCard,
  cardType = 'VISA-CREDIT',
  attemptId: string = randomUUID(),
) {
  return {
    EncryptedCardData: encryptCard(publicKeyPem, card),
    PaymentId: paymentId,
    AuthorizationAttemptId: attemptId,
    PublicKeyId: publicKeyId,
    CardType: cardType,
  };
}

export function visaTokenCallback(paymentId: string, overrides: Record<string, unknown> = {}) {
  return {
    paymentId,
    authorizationAttemptId: randomUUID(),
    cardType: 'VISA-CREDIT',
    cardIssuedInCountryCode: 'DK',
    maskedCardNumber: '479694XXXXXX1234',
    tokenMethod: 'VTS',
    tokenData: {
      vPaymentDataID: randomBytes(16).toString('hex'),
      cryptogramInfo: { cryptogram: randomBytes(20).toString('base64'), eci: '07' },
      paymentInstrument: { last4: '1234', paymentType: { cardBrand: 'VISA' } },
      tokenInfo: {
        token: VISA_TEST_TOKEN,
        last4: '3403',
        expirationDate: { month: '02', year: '2031' },
      },
    },
    isDelegatedAuthentication: true,
    ...overrides,
  };
}

export function mastercardTokenCallback(
  paymentId: string,
  overrides: Record<string, unknown> = {},
) {
  return {
    paymentId,
    authorizationAttemptId: randomUUID(),
    cardType: 'MC-CREDIT',
    cardIssuedInCountryCode: 'DK',
    maskedCardNumber: '520473XXXXXX4792',
    tokenMethod: 'MC S4C',
    tokenData: {
      token: {
        paymentToken: MASTERCARD_TEST_TOKEN,
        tokenExpirationMonth: '05',
        tokenExpirationYear: '2031',
        paymentAccountReference: '5001BO8B9NXVVIXCT0HAJU98I512Z',
      },
      dynamicData: {
        dynamicDataType: 'CARD_APPLICATION_CRYPTOGRAM_SHORT_FORM',
        dynamicDataValue: randomBytes(20).toString('base64'),
      },
      eci: '06',
    },
    ...overrides,
  };
}

export function checkoutCallback(paymentId: string, attemptId: string = randomUUID()) {
  return {
    PaymentId: paymentId,
    AuthorizationAttemptId: attemptId,
    Addresses: [
      {
        FirstName: 'John',
        Surname: 'Doe',
        Attention: '',
        CompanyName: '',
        AddressLine1: 'Flower Street 23',
        AddressLine2: '',
        PostalCode: '3434',
        City: 'Great city',
        CountryCode: 'DK',
        IsCustomerOfficialAddress: true,
        IsBillingAddress: true,
        IsDeliveryAddress: true,
        AddressValidationMethod: 'DaWa',
        AddressValidationStatus: 'NotValidated',
      },
    ],
    EmailAddress: 'john@example.dk',
    EmailAddressValidationMethod: 'EmailEnteredTwice',
    EmailAddressValidationStatus: 'Validated',
    PhoneNumber: '+4512345678',
    PhoneNumberValidationMethod: 'SMSChallenge',
    PhoneNumberValidationStatus: 'Validated',
  };
}
