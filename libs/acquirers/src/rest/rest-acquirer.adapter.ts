import type { DeclineReason } from '@app/domain';
import type {
  AcquirerAdapter,
  AuthorizationRequest,
  AuthorizationResult,
  InquiryResult,
  AuthorizationOperationRequest,
  AuthorizationOperationResult,
  ReversalResult,
  InquiryOptions,
} from '../acquirer-adapter';
import { inquiryTimeout } from '../acquirer-adapter';
import { restOperation } from './rest-operations';

export interface RestAcquirerOptions {
  baseUrl: string;
  timeoutMs: number;
  vatNumber: string;
}

/** Dankort delegated authentication: MobilePay authenticated the cardholder (PSP guide). */
const DANKORT_POS_CODE = 'K005K0K00130';

interface AcquirerAnswer {
  reference: string;
  acquirerReference: string;
  status: 'APPROVED' | 'DECLINED' | 'SOFT_DECLINED';
  declineCode?: DeclineReason;
  amount: number;
  currency: string;
}

/** REST/JSON acquirer: idempotent on our reference, with an inquiry endpoint for unknown outcomes. */
export class RestAcquirerAdapter implements AcquirerAdapter {
  readonly name = 'rest-acquirer';
  readonly supportsNetworkTokens = true;
  readonly vatNumber: string;

  constructor(private readonly options: RestAcquirerOptions) {
    this.vatNumber = options.vatNumber;
  }

  async authorize(request: AuthorizationRequest): Promise<AuthorizationResult> {
    const body = {
      reference: request.reference,
      merchantId: request.acquirerMerchantId,
      amount: Number(request.amount),
      currency: request.currency,
      cardType: request.cardType,
      card: withoutPaymentToken(request.card),
      ...(request.threeDS
        ? {
            threeDS: {
              cryptogram: request.threeDS.cryptogram,
              eci: request.threeDS.eci,
              version: request.threeDS.version,
              dsTransactionId: request.threeDS.transactionId,
            },
          }
        : {}),
      ...(request.cardType === 'DANKORT'
        ? { posCode: DANKORT_POS_CODE, delegatedAuthentication: true }
        : {}),
    };
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl}/acquirer/v1/authorizations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': request.reference },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      return connectionFailure(error);
    }
    // Refused as invalid or throttled: nothing was authorized. Any other failure may have acted.
    if (response.status === 400 || response.status === 422 || response.status === 429) {
      return { kind: 'not-sent', error: `acquirer refused the request (${response.status})` };
    }
    if (!response.ok) return { kind: 'unknown', error: `acquirer answered ${response.status}` };
    return interpret(await readAnswer(response), request);
  }

  async reverse(reference: string): Promise<ReversalResult> {
    try {
      const response = await fetch(
        `${this.options.baseUrl}/acquirer/v1/authorizations/${encodeURIComponent(reference)}/reversal`,
        {
          method: 'POST',
          headers: { 'idempotency-key': `reversal-${reference}` },
          signal: AbortSignal.timeout(this.options.timeoutMs),
        },
      );
      if (response.status === 404) return { kind: 'not-found' };
      if (!response.ok) return { kind: 'failed', error: `reversal answered ${response.status}` };
      return { kind: 'reversed' };
    } catch (error) {
      return { kind: 'failed', error: `reversal failed: ${describe(error)}` };
    }
  }

  captureAuthorization(
    request: AuthorizationOperationRequest,
  ): Promise<AuthorizationOperationResult> {
    return restOperation(this.options, 'captureAuthorization', request);
  }

  refundAuthorization(
    request: AuthorizationOperationRequest,
  ): Promise<AuthorizationOperationResult> {
    return restOperation(this.options, 'refundAuthorization', request);
  }

  cancelAuthorization(
    request: AuthorizationOperationRequest,
  ): Promise<AuthorizationOperationResult> {
    return restOperation(this.options, 'cancelAuthorization', request);
  }

  async inquire(
    reference: string,
    expected: { amount: bigint; currency: string },
    options?: InquiryOptions,
  ): Promise<InquiryResult> {
    let response: Response;
    try {
      response = await fetch(
        `${this.options.baseUrl}/acquirer/v1/authorizations/${encodeURIComponent(reference)}`,
        { signal: AbortSignal.timeout(inquiryTimeout(this.options.timeoutMs, options)) },
      );
    } catch (error) {
      return { kind: 'unknown', error: `inquiry failed: ${describe(error)}` };
    }
    if (response.status === 404) return { kind: 'not-found' };
    if (!response.ok) return { kind: 'unknown', error: `inquiry answered ${response.status}` };
    return interpret(await readAnswer(response), expected);
  }
}

/** A body we cannot read is an answer we cannot trust: treated as an unknown outcome. */
async function readAnswer(response: Response): Promise<AcquirerAnswer | undefined> {
  try {
    const body = await response.json();
    return typeof body === 'object' && body !== null ? (body as AcquirerAnswer) : undefined;
  } catch {
    return undefined;
  }
}

function interpret(
  answer: AcquirerAnswer | undefined,
  expected: { amount: bigint; currency: string },
): AuthorizationResult {
  if (!answer || typeof answer.status !== 'string') {
    return { kind: 'unknown', error: 'acquirer answer could not be read' };
  }
  switch (answer.status) {
    case 'APPROVED':
      // An approval for another amount or currency is not the authorization we asked for.
      if (BigInt(answer.amount) !== expected.amount || answer.currency !== expected.currency) {
        return { kind: 'unknown', error: 'acquirer approved a different amount or currency' };
      }
      return {
        kind: 'approved',
        acquirerReference: answer.acquirerReference,
        amount: BigInt(answer.amount),
        currency: answer.currency,
      };
    case 'DECLINED':
      return {
        kind: 'declined',
        reason: answer.declineCode ?? 'DO_NOT_HONOR',
        acquirerReference: answer.acquirerReference ?? null,
      };
    case 'SOFT_DECLINED':
      return { kind: 'soft-declined', acquirerReference: answer.acquirerReference ?? null };
    default:
      return { kind: 'unknown', error: 'acquirer answered with an unexpected status' };
  }
}

/** The whole token callback is for acquirers that ask for it; this protocol takes the parts. */
function withoutPaymentToken(card: AuthorizationRequest['card']): AuthorizationRequest['card'] {
  if (card.kind !== 'network-token' || card.paymentToken === undefined) return card;
  const { paymentToken: _omitted, ...parts } = card;
  return parts;
}

function connectionFailure(error: unknown): AuthorizationResult {
  const code = (error as { cause?: { code?: string } }).cause?.code;
  // Refused or unresolvable: the request never left us, so a retry cannot double-charge.
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { kind: 'not-sent', error: `acquirer unreachable (${code})` };
  }
  return { kind: 'unknown', error: `acquirer call failed: ${describe(error)}` };
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.name === 'TimeoutError' ? 'timed out' : error.message;
  return 'unknown error';
}
