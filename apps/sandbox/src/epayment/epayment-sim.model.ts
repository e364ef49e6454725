import type {
  CardCallbackResponse,
  EpaymentAmount,
  PaymentEvent,
  PaymentState,
} from '@app/epayment';

export interface SimAttempt {
  id: string;
  /** The card as the simulated wallet holds it (PAN, for the token vault and PAN callbacks). */
  pan: string;
  cardType: string;
  dataType: 'TOKEN' | 'PAN';
  shape: 'nested' | 'flat';
  answers: { at: string; status: number | null; body?: CardCallbackResponse; error?: string }[];
  softDeclineUrl?: string;
}

export interface SimPayment {
  msn: string;
  reference: string;
  amount: EpaymentAmount;
  state: PaymentState;
  authorized: number;
  captured: number;
  cancelled: number;
  refunded: number;
  pspReference: string;
  cardCallbackUrl: string;
  allowedCardTypes: string[];
  publicEncryptionKeyId?: string;
  userFlow: string;
  customerInteraction: string;
  phoneNumber?: string;
  returnUrl?: string;
  redirectToken: string;
  createdAt: number;
  expiresAt: number;
  events: PaymentEvent[];
  attempts: SimAttempt[];
  /** The callback got no valid answer in time (500, timeout): "patched later" or expired. */
  unresolved: boolean;
}

export interface SimWebhook {
  id: string;
  url: string;
  events: string[];
  secret: string;
  msn?: string;
  /** Ordered per registration: one delivery at a time. */
  queue: Promise<void>;
  deliveries: { event: string; reference: string; status: number | null; at: string }[];
}

export interface IdempotentAnswer {
  fingerprint: string;
  status: number;
  body: unknown;
}
