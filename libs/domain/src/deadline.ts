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
