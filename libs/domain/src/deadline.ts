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
