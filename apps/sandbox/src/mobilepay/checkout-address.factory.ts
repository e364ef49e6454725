export interface CheckoutChoice {
  /** The user picks a delivery address other than the billing one (if the payment allows it). */
  deliveryAddressDifferent: boolean;
  phoneNumber?: string;
}

const BILLING = {
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
};

const DELIVERY = {
  FirstName: 'John',
  Surname: 'Doe',
  Attention: 'Reception',
  CompanyName: 'Gedekid og Smoothies ApS',
  AddressLine1: 'Harbour Road 5',
  AddressLine2: '2. floor',
  PostalCode: '8000',
  City: 'Aarhus C',
  CountryCode: 'DK',
  IsCustomerOfficialAddress: false,
};

/**
 * The Checkout callback body, field for field as the guide shows it: one address that is both
 * billing and delivery, two when they differ, only a billing one when delivery is not allowed.
 */
export function checkoutCallbackBody(
  ids: { PaymentId: string; AuthorizationAttemptId: string },
  deliveryAddressAllowed: boolean,
  choice: CheckoutChoice,
): Record<string, unknown> {
  const validation = { AddressValidationMethod: 'DaWa', AddressValidationStatus: 'NotValidated' };
  const separate = deliveryAddressAllowed && choice.deliveryAddressDifferent;
  const billing = {
    ...BILLING,
    IsBillingAddress: true,
    IsDeliveryAddress: deliveryAddressAllowed && !separate,
    ...validation,
  };
  const delivery = {
    ...DELIVERY,
    IsBillingAddress: false,
    IsDeliveryAddress: true,
    ...validation,
    AddressValidationStatus: 'Validated',
  };
  return {
    ...ids,
    Addresses: separate ? [billing, delivery] : [billing],
    EmailAddress: 'john.doe@example.com',
    EmailAddressValidationMethod: 'EmailEnteredTwice',
    EmailAddressValidationStatus: 'Validated',
    PhoneNumber: internationalPhone(choice.phoneNumber),
    PhoneNumberValidationMethod: 'SMSChallenge',
    PhoneNumberValidationStatus: 'Validated',
  };
}

/** `004512345678` (the regression tester's form) → `+4512345678`, the callback's form. */
function internationalPhone(phoneNumber = '+4512345678'): string {
  const digits = phoneNumber.replace(/[^\d+]/g, '');
  if (digits.startsWith('00')) return `+${digits.slice(2)}`;
  return digits.startsWith('+') ? digits : `+45${digits}`;
}
