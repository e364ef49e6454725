/**
 * When to deliver a MobilePay report again after one delivery used up the guide's retry budget
 * (1 + MOBILEPAY_RETRIES requests, inside the client): `delay · 2^(n−1)` after the n-th failed
 * delivery, capped. Each later delivery is a new request with its own budget, so MobilePay sees
 * at most 1 + retries requests close together, then silence — never the budget multiplied by
 * job retries. Reports are never given up: the outbox row stays PENDING until MobilePay answers.
 */
export function redeliveryAt(
  failedDeliveries: number,
  now: Date,
  policy: { redeliveryDelayMs: number; redeliveryMaxDelayMs: number },
): Date {
  const exponent = Math.min(Math.max(failedDeliveries, 1) - 1, 30);
  const delay = Math.min(policy.redeliveryDelayMs * 2 ** exponent, policy.redeliveryMaxDelayMs);
  return new Date(now.getTime() + delay);
}
