import type { components } from './generated/online-2024';
import type { components as Passthrough2022 } from './generated/cardpassthrough-2022';

type Schemas = components['schemas'];

export type CreateMerchantRequest = Schemas['CreateMerchantRequest'];
export type MerchantCreateResponse = Schemas['MerchantCreateResponse'];
export type InitiatePaymentRequest = Schemas['InitiatePaymentV3Request'];
export type InitiatePaymentResponse = Schemas['InitiatePaymentResponse'];
export type UpdateAuthorizationAttemptRequest = Schemas['UpdateAuthorizationAttemptRequest'];
export type CreateCaptureRequest = Schemas['CreateCaptureRequest'];
export type CreateCaptureResponse = Schemas['CreateCaptureResponse'];
export type CreateCancelRequest = Schemas['CreateCancelRequest'];
export type CreateCancelResponse = Schemas['CreateCancelResponse'];
export type CreateRefundRequest = Schemas['CreateRefundRequest'];
export type CreateRefundResponse = Schemas['CreateRefundResponse'];
export type VisaTokenCallbackPayload = Schemas['VisaTokenCallbackPayload'];
export type MastercardTokenCallbackPayload = Schemas['MastercardTokenCallbackPayload'];
export type PaymentDetails = Passthrough2022['schemas']['PaymentDetailsV3Response'];
