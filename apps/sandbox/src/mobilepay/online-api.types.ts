/** The parts of the MobilePay Online request bodies the simulator acts on (schemas are enforced by ajv). */

export interface CreateMerchantRequest {
  externalId: string;
  merchantCategoryCode: number;
  name: string;
  billingCurrency: string;
  countryCode: string;
  vatNumber: string;
}

export interface AllowedCardType {
  name: string;
  encryptedPanCallbackUrl: string;
  tokenCallbackUrl?: string | null;
}

export interface InitiatePaymentV3Request {
  merchantId: string;
  merchantName: string;
  merchantLogoUrl: string;
  merchantOrderId: string;
  merchantUrl: string;
  pspReferenceId: string;
  amount: number;
  currencyCode: string;
  allowedCardTypes: AllowedCardType[];
  publicKeyId: number;
  redirectFromMobilePayUrl: string;
  failedPaymentCallbackUrl?: string | null;
  isCheckout?: boolean;
  addressCallbackUrl?: string | null;
  deliveryAddressAllowed?: boolean | null;
  deliveryAddressDisallowedReasonCode?: number | null;
  validUntil?: string | null;
}

export interface UpdateAuthorizationAttemptRequest {
  succeeded: boolean;
  reasonCode?: number;
  reasonMessage?: string | null;
  threeDSecureUrl?: string | null;
  acquirerVatNumber?: string | null;
  acquirerMerchantId?: string | null;
  acquirerPaymentReference?: string | null;
}

export type OperationKind = 'capture' | 'cancel' | 'refund';

/** CreateCaptureRequest / CreateCancelRequest / CreateRefundRequest, with the identifier unified. */
export interface OperationRequest {
  identifier: string;
  amount: number;
  timestamp: string;
}

export interface SimulateRequestByAliasRequest {
  phoneNumber: string;
  lastFourDigits?: string | null;
}
