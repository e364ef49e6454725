/**
 * When to poll next. After an answer: MobilePay's `pollDelayInMs`, never under the floor (once a
 * second). Without one: the last delay doubled per failure in a row, with jitter, capped — or
 * `Retry-After` when MobilePay throttled us.
 */
export function nextPollDelay(input: {
  minMs: number;
  maxBackoffMs: number;
  pollDelayMs: number;
  failures: number;
  retryAfterMs?: number;
  random?: () => number;
}): number {
  const { minMs, maxBackoffMs, pollDelayMs, failures, retryAfterMs } = input;
  if (retryAfterMs !== undefined) return Math.max(minMs, retryAfterMs);
  const base = Math.max(minMs, pollDelayMs);
  if (failures === 0) return base;
  const backoff = Math.min(maxBackoffMs, base * 2 ** Math.min(failures, 16));
  const jitter = 1 + (input.random ?? Math.random)() * 0.25;
  return Math.max(minMs, Math.round(Math.min(maxBackoffMs, backoff) * jitter));
}
