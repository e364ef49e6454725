import { SandboxError } from '../common/sandbox-error';

/**
 * 409 codes of the simulated MobilePay Online API. 2000–2050, 2100 and 2101 are the guide's; the
 * rest are the sandbox's own (the guide documents none for these cases) and stay stable.
 */
export const MobilePayCode = {
  MerchantNotFound: '2000',
  MerchantNotYours: '2010',
  MerchantDeleted: '2020',
  CardTypesMissing: '2030',
  CardTypeInvalid: '2040',
  CurrencyInvalid: '2050',
  RequestFishing: '2060',
  PublicKeyUnknown: '2070',
  AlreadyAuthorized: '2100',
  AttemptNotPatched: '2101',
  PaymentNotFound: '2200',
  PaymentNotAuthorized: '2210',
  CaptureExceedsAuthorized: '2220',
  CancelExceedsRemaining: '2230',
  RefundExceedsCaptured: '2240',
  IdentifierReused: '2250',
  AttemptNotFound: '2300',
  AttemptAlreadyFinal: '2310',
  AttemptDeadlinePassed: '2320',
  AttemptClosed: '2330',
  PaymentNotPayable: '2400',
  AttemptInProgress: '2410',
  NoEligibleCard: '2420',
  NoThreeDsChallenge: '2430',
} as const;

export type MobilePayCode = (typeof MobilePayCode)[keyof typeof MobilePayCode];

const MESSAGES: Record<MobilePayCode, string> = {
  '2000': "Merchant doesn't exist",
  '2010': "The merchant isn't created by you",
  '2020': 'The merchant is deleted',
  '2030': 'Allowed card types are not set',
  '2040': 'One or more of the allowed card types are invalid',
  '2050': 'Currency code is invalid',
  '2060': 'Request fishing: this merchantOrderId has been initiated too many times',
  '2070': 'publicKeyId is not registered',
  '2100': "Can't invalidate payment with completed authorization attempt",
  '2101':
    "Can't invalidate payment - the authorization attempt has not yet been patched with success or failure. Try again later.",
  '2200': 'Payment not found',
  '2210': 'Payment is not authorized',
  '2220': 'Captured amount would exceed the authorized amount',
  '2230': 'Cancelled amount would exceed the amount left to capture',
  '2240': 'Refunded amount would exceed the captured amount',
  '2250': 'Identifier already used with a different amount',
  '2300': 'Authorization attempt not found',
  '2310': 'Authorization attempt already has a different final outcome',
  '2320': 'Authorization attempt deadline has passed',
  '2330': 'Authorization attempt is closed: its callback was never acknowledged',
  '2400': 'Payment can no longer be accepted',
  '2410': 'Payment has an authorization attempt in progress',
  '2420': 'The wallet has no eligible card for this payment',
  '2430': 'No 3-D Secure challenge is pending for this authorization attempt',
};

export function conflict(code: MobilePayCode, detail?: string): SandboxError {
  return new SandboxError(409, code, detail ? `${MESSAGES[code]}: ${detail}` : MESSAGES[code]);
}
