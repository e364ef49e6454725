import { cardCallbackSchema } from './card-callback.schema';

const token = {
  number: '5000000000000000001',
  cryptogram: 'aFgdgjdkfgjdFDF=',
  expiryMonth: '03',
  expiryYear: '2030',
  tokenType: 'VISA',
  eci: '7',
  paymentAccountReference: '5001BO8B9NXVVIXCT0HAJU98I512Z',
};

describe('card callback schema', () => {
  it('reads the first-generation flat body from the documentation', () => {
    const parsed = cardCallbackSchema.parse({
      pspReference: '7686f7788898767977',
      authorizationAttemptId: '3030303thisisaguid',
      merchantSerialNumber: '123456',
      softDeclineCompletedRedirectUrl:
        'https://vipps.no/mobileintercept?transactionId=123456789&responsecode=OK',
      maskedCardNumber: '47969485XXXX1234',
      cardType: 'VISA-DEBIT',
      cardIssuedInCountryCode: 'DK',
      paymentInstrument: 'TOKEN',
      networkToken: token,
      encryptedPan: 'xyzxyzxyzxyzxyzxyz',
    });
    expect(parsed.cardType).toBe('VISA-DEBIT');
    expect(parsed.card).toEqual({ kind: 'TOKEN', networkToken: token });
  });

  it('reads the nested body and the underscore card type', () => {
    const parsed = cardCallbackSchema.parse({
      pspReference: 'p-1',
      authorizationAttemptId: 'a-1',
      merchantSerialNumber: '1234',
      amount: { currency: 'DKK', value: 49900 },
      softDeclineCompletedRedirectUrl: 'https://example.com/done',
      cardInfo: { cardType: 'DANKORT', cardDataType: 'PAN', encryptedPan: 'A'.repeat(40) },
    });
    expect(parsed.cardType).toBe('DANKORT');
    expect(parsed.card.kind).toBe('PAN');
    expect(parsed.amount).toEqual({ currency: 'DKK', value: 49900 });
  });

  it('refuses a token callback without its token, and unknown card types', () => {
    const base = { pspReference: 'p', authorizationAttemptId: 'a', merchantSerialNumber: '1234' };
    expect(
      cardCallbackSchema.safeParse({
        ...base,
        cardInfo: { cardType: 'MC_CREDIT', cardDataType: 'TOKEN' },
      }).success,
    ).toBe(false);
    expect(
      cardCallbackSchema.safeParse({
        ...base,
        cardInfo: { cardType: 'AMEX', cardDataType: 'TOKEN', networkToken: token },
      }).success,
    ).toBe(false);
    expect(
      cardCallbackSchema.safeParse({
        ...base,
        merchantSerialNumber: '12',
        cardInfo: { cardType: 'MC_CREDIT', cardDataType: 'TOKEN', networkToken: token },
      }).success,
    ).toBe(false);
  });
});
