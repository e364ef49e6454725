import { type OutboundPolicy, outboundRequest } from '@app/outbound';

/**
 * POSTs a JSON body to a webhook endpoint under the outbound policy and resolves with the status
 * code (redirects are not followed: they count as an answer that is not 2xx; the answer's body is
 * not read). Rejects on no answer: timeout, refused, or a host the policy does not allow.
 */
export async function postJson(
  url: URL,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; policy: OutboundPolicy },
): Promise<number> {
  const response = await outboundRequest(
    url,
    { method: 'POST', headers, body, timeoutMs: options.timeoutMs, maxResponseBytes: 0 },
    options.policy,
  );
  return response.status;
}
