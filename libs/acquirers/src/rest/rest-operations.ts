import type {
  AuthorizationOperationKind,
  AuthorizationOperationRequest,
  AuthorizationOperationResult,
} from '../acquirer-adapter';

const PATH: Record<AuthorizationOperationKind, string> = {
  captureAuthorization: 'captures',
  refundAuthorization: 'refunds',
  cancelAuthorization: 'cancels',
};

interface OperationAnswer {
  status?: string;
  acquirerReference?: string;
  code?: string;
  message?: string;
}

/**
 * `POST /acquirer/v1/authorizations/{authorization}/captures|refunds|cancels` with the operation's
 * reference as Idempotency-Key: repeating a request whose answer was lost never acts twice.
 */
export async function restOperation(
  options: { baseUrl: string; timeoutMs: number },
  kind: AuthorizationOperationKind,
  request: AuthorizationOperationRequest,
): Promise<AuthorizationOperationResult> {
  const url =
    `${options.baseUrl}/acquirer/v1/authorizations/` +
    `${encodeURIComponent(request.authorizationReference)}/${PATH[kind]}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': request.reference },
      body: JSON.stringify({
        reference: request.reference,
        amount: Number(request.amount),
        currency: request.currency,
      }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return { kind: 'not-sent', error: `acquirer unreachable (${code})` };
    }
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return {
      kind: 'unknown',
      error: `acquirer ${PATH[kind]} call ${timedOut ? 'timed out' : 'failed'}`,
    };
  }
  const answer = await readAnswer(response);
  // Refused (unknown authorization, over the limit, declined): nothing moved.
  if (response.status === 404 || response.status === 409 || response.status === 422) {
    return { kind: 'declined', reason: answer?.code ?? `answered ${response.status}` };
  }
  if (response.status === 400 || response.status === 429) {
    return { kind: 'not-sent', error: `acquirer refused the request (${response.status})` };
  }
  if (!response.ok) return { kind: 'unknown', error: `acquirer answered ${response.status}` };
  if (answer?.status === 'APPROVED') {
    return { kind: 'approved', acquirerReference: answer.acquirerReference ?? null };
  }
  if (answer?.status === 'DECLINED') return { kind: 'declined', reason: answer.code ?? 'DECLINED' };
  return { kind: 'unknown', error: 'acquirer answer could not be read' };
}

async function readAnswer(response: Response): Promise<OperationAnswer | undefined> {
  try {
    const body = (await response.json()) as OperationAnswer | null;
    return typeof body === 'object' && body !== null ? body : undefined;
  } catch {
    return undefined;
  }
}
