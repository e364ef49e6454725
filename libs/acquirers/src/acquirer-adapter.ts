import type { CardType, DeclineReason } from '@app/domain';

export type CardCredentials =
  | { kind: 'pan'; number: string; expiryMonth: number; expiryYear: number }
  | {
      kind: 'network-token';
      token: string;
      expiryMonth: number;
      expiryYear: number;
      cryptogram: string;
      eci: string;
      tokenMethod: 'VTS' | 'MC S4C';
      /** The whole token callback as MobilePay sent it (JSON), for acquirers that want it all. */
      paymentToken?: string;
    };

export interface AuthorizationRequest {
  /** Our idempotency reference at the acquirer: the MobilePay authorization attempt id. */
  reference: string;
  acquirerMerchantId: string;
  amount: bigint;
  currency: string;
  cardType: CardType;
  card: CardCredentials;
  /** The result of a 3-D Secure challenge, for the re-authorization after a soft decline. */
  threeDS?: ThreeDsResult;
  /** The merchant's name for the cardholder's statement; adapters drop it when their rules refuse it. */
  textOnStatement?: string;
}

export interface ThreeDsResult {
  cryptogram: string;
  eci: string;
  version: string;
  transactionId: string;
  /** The EMV 3DS ARes or RReq as received (JSON), when the 3DS server hands it over. */
  ares?: string;
  rreq?: string;
}

export type ReversalResult =
  { kind: 'reversed' } | { kind: 'not-found' } | { kind: 'failed'; error: string };

/**
 * What an acquirer said, kept apart by what it means for money: only `approved` moved money,
 * `not-sent` is safe to retry, and `unknown` may have moved money and must be resolved by inquiry.
 */
export type AuthorizationResult =
  | { kind: 'approved'; acquirerReference: string; amount: bigint; currency: string }
  | {
      kind: 'declined';
      reason: DeclineReason;
      acquirerReference: string | null;
      /** The acquirer's own code and message, for the PATCH's reasonMessage and the logs. */
      detail?: string;
    }
  | { kind: 'soft-declined'; acquirerReference: string | null }
  | { kind: 'not-sent'; error: string }
  | { kind: 'unknown'; error: string };

/**
 * `unresolvable`: the acquirer offers no way to learn what became of this request (no lookup by our
 * reference), so asking again cannot help: the attempt must be failed and reconciled by an operator.
 */
export type InquiryResult =
  AuthorizationResult | { kind: 'not-found' } | { kind: 'unresolvable'; error: string };

export interface InquiryOptions {
  timeoutMs?: number;
}

/** The adapter's timeout, shortened to the caller's budget when one is given. */
export function inquiryTimeout(adapterTimeoutMs: number, options?: InquiryOptions): number {
  const budget = options?.timeoutMs;
  return budget === undefined ? adapterTimeoutMs : Math.max(1, Math.min(adapterTimeoutMs, budget));
}

/** A capture, refund or cancel (void of the rest) of an approved authorization. */
export interface AuthorizationOperationRequest {
  /** The authorization's reference (our attempt id). */
  authorizationReference: string;
  /** Idempotency reference of this operation: a retry with it never acts twice. */
  reference: string;
  amount: bigint;
  currency: string;
}

/** Same meaning as for authorizations: only `approved` moved money; `unknown` may have. */
export type AuthorizationOperationResult =
  | { kind: 'approved'; acquirerReference: string | null }
  | { kind: 'declined'; reason: string }
  | { kind: 'not-sent'; error: string }
  | { kind: 'unknown'; error: string };

/** Method names of the optional operations on an adapter. */
export type AuthorizationOperationKind =
  'captureAuthorization' | 'refundAuthorization' | 'cancelAuthorization';

export interface AcquirerAdapter {
  readonly name: string;
  /** Reported to MobilePay with every PATCH in the 1000 range (acquirerVatNumber). */
  readonly vatNumber: string;
  /** Whether network-token authorizations (VTS, MC S4C) are possible at all. */
  readonly supportsNetworkTokens: boolean;
  /**
   * The acquirer knows an authorization only by the id it assigned (no idempotency on our
   * reference): captures, refunds and voids name that id, and a request whose answer was lost is
   * never repeated.
   */
  readonly addressedByAcquirerId?: boolean;
  authorize(request: AuthorizationRequest): Promise<AuthorizationResult>;
  /** `options.timeoutMs` shortens (never lengthens) the adapter's own timeout for this inquiry. */
  inquire(
    reference: string,
    expected: { amount: bigint; currency: string },
    options?: InquiryOptions,
  ): Promise<InquiryResult>;
  /**
   * Voids an authorization (idempotent). `not-found` means there is nothing to void. Adapters
   * `addressedByAcquirerId` take the acquirer's id here, as in captures, refunds and cancels.
   */
  reverse(reference: string): Promise<ReversalResult>;
  /** Releases connections (persistent-socket adapters). */
  close?(): Promise<void>;
  /** Optional: adapters without money movement after authorization leave these out. */
  captureAuthorization?(
    request: AuthorizationOperationRequest,
  ): Promise<AuthorizationOperationResult>;
  refundAuthorization?(
    request: AuthorizationOperationRequest,
  ): Promise<AuthorizationOperationResult>;
  /** Voids the uncaptured rest of an authorization (partial reversal). */
  cancelAuthorization?(
    request: AuthorizationOperationRequest,
  ): Promise<AuthorizationOperationResult>;
}
