/** How long before MobilePay's PATCH deadline the watchdog fires, leaving time for the PATCH. */
const WATCHDOG_MARGIN_MS = 4_000;
const WATCHDOG_MARGIN_SHARE = 0.2;

function watchdogMarginMs(patchDeadlineMs: number): number {
  return Math.min(WATCHDOG_MARGIN_MS, patchDeadlineMs * WATCHDOG_MARGIN_SHARE);
}

/** When the deadline watchdog of an attempt should fire, for a given deadline length. */
export function watchdogFireTime(deadlineAt: Date, patchDeadlineMs: number): Date {
  return new Date(deadlineAt.getTime() - watchdogMarginMs(patchDeadlineMs));
}

/**
 * Clock difference between the host that scheduled a watchdog and the one running it that still
 * counts as on time. Beyond it, a watchdog is early: it was scheduled for a deadline the attempt no
 * longer has (3-D Secure moved it).
 */
const WATCHDOG_CLOCK_TOLERANCE_MS = 1_000;

/**
 * Whether a watchdog running now is too early for the attempt's stored deadline. The stored
 * deadline is the only truth: a 3-D Secure challenge extends it to the challenge window, a
 * re-authorization after the challenge restarts it, and a watchdog scheduled before either must
 * not fail the attempt.
 */
export function watchdogIsEarly(
  deadlineAt: Date,
  patchDeadlineMs: number,
  now = Date.now(),
): boolean {
  return (
    watchdogFireTime(deadlineAt, patchDeadlineMs).getTime() - now > WATCHDOG_CLOCK_TOLERANCE_MS
  );
}

/**
 * How long the watchdog may wait for an acquirer inquiry: until half the margin is left, the other
 * half being the PATCH's. Zero or less: no time to ask, the attempt fails as unanswered.
 */
export function inquiryBudgetMs(
  deadlineAt: Date,
  patchDeadlineMs: number,
  now = Date.now(),
): number {
  return Math.floor(deadlineAt.getTime() - watchdogMarginMs(patchDeadlineMs) / 2 - now);
}

/**
 * When the delivery job behind a PATCH sent straight from the authorization is due: after that
 * send's whole retry budget (`afterBudget`), so it does not run beside a send still trying — but
 * never later than the PATCH's half of the watchdog margin before the deadline. Once the outcome is
 * recorded the attempt is no longer open and no watchdog covers it: if the worker dies mid-send,
 * this job is the PATCH's only way out, and one due after the deadline is a deadline missed. It is
 * due at least one try's timeout from now, when the first try has its answer; a delivery then
 * repeats the same request, which MobilePay's idempotency makes harmless.
 */
export function directSendBackstopAt(
  deadlineAt: Date,
  patchDeadlineMs: number,
  send: { afterBudget: Date; tryTimeoutMs: number },
  now = Date.now(),
): Date {
  const beforeDeadline = deadlineAt.getTime() - watchdogMarginMs(patchDeadlineMs) / 2;
  return new Date(
    Math.min(send.afterBudget.getTime(), Math.max(beforeDeadline, now + send.tryTimeoutMs)),
  );
}
