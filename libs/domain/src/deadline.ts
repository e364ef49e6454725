/** How long before MobilePay's PATCH deadline the watchdog fires, leaving time for the PATCH. */
const WATCHDOG_MARGIN_MS = 4_000;
const WATCHDOG_MARGIN_SHARE = 0.2;

/** When the deadline watchdog of an attempt should fire, for a given deadline length. */
export function watchdogFireTime(deadlineAt: Date, patchDeadlineMs: number): Date {
  const margin = Math.min(WATCHDOG_MARGIN_MS, patchDeadlineMs * WATCHDOG_MARGIN_SHARE);
  return new Date(deadlineAt.getTime() - margin);
}
