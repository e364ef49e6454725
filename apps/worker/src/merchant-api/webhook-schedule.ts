export interface RetryPolicy {
  retryBaseMs: number;
  retryMaxDelayMs: number;
  /** Deliveries are retried for at least this long after they were created. */
  retryWindowMs: number;
}

/**
 * When to try a failed delivery again: exponential backoff (base · 2^(n−1), capped), until the
 * retry window since the delivery was created is over; then null (give up).
 */
export function nextAttemptAt(
  createdAt: Date,
  failedAttempt: number,
  now: Date,
  policy: RetryPolicy,
): Date | null {
  const exponent = Math.min(failedAttempt - 1, 30);
  const delay = Math.min(policy.retryBaseMs * 2 ** exponent, policy.retryMaxDelayMs);
  const next = new Date(now.getTime() + delay);
  if (next.getTime() - createdAt.getTime() > policy.retryWindowMs) return null;
  return next;
}
