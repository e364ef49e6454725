import {
  directSendBackstopAt,
  inquiryBudgetMs,
  watchdogFireTime,
  watchdogIsEarly,
} from './deadline';

describe('deadline arithmetic', () => {
  const deadlineAt = new Date('2026-01-01T12:00:32.000Z');

  it('fires the watchdog 4 s before a 32 s deadline, and 20 % before a short one', () => {
    expect(watchdogFireTime(deadlineAt, 32_000).toISOString()).toBe('2026-01-01T12:00:28.000Z');
    expect(watchdogFireTime(deadlineAt, 5_000).toISOString()).toBe('2026-01-01T12:00:31.000Z');
  });

  it('gives an inquiry at the watchdog half the margin, leaving the other half to the PATCH', () => {
    const firedAt = watchdogFireTime(deadlineAt, 32_000).getTime();
    expect(inquiryBudgetMs(deadlineAt, 32_000, firedAt)).toBe(2_000);
    // A watchdog that ran late has less; past the half-way mark, none.
    expect(inquiryBudgetMs(deadlineAt, 32_000, firedAt + 1_500)).toBe(500);
    expect(inquiryBudgetMs(deadlineAt, 32_000, firedAt + 2_500)).toBeLessThanOrEqual(0);
  });

  it('calls a watchdog early when the stored deadline has moved past its fire time', () => {
    const callbackAt = deadlineAt.getTime() - 32_000;
    // Scheduled at intake for 28 s; the attempt then entered a 15 min 3-D Secure window.
    const threeDsDeadline = new Date(callbackAt + 10_000 + 15 * 60_000);
    expect(watchdogIsEarly(threeDsDeadline, 32_000, callbackAt + 28_000)).toBe(true);
    expect(watchdogIsEarly(threeDsDeadline, 32_000, threeDsDeadline.getTime() - 4_000)).toBe(false);
    // The deadline it was scheduled for: due, and so is one running after it.
    expect(watchdogIsEarly(deadlineAt, 32_000, callbackAt + 28_000)).toBe(false);
    expect(watchdogIsEarly(deadlineAt, 32_000, callbackAt + 40_000)).toBe(false);
    // A host whose clock runs a little behind the scheduler's is still on time.
    expect(watchdogIsEarly(deadlineAt, 32_000, callbackAt + 27_500)).toBe(false);
  });
  it('has the job behind a direct PATCH due before the deadline, not only after the send budget', () => {
    const callbackAt = deadlineAt.getTime() - 32_000;
    const send = (now: number) => ({ afterBudget: new Date(now + 10_000), tryTimeoutMs: 2_000 });
    // Early in the window: after the whole budget, as before.
    const early = callbackAt + 500;
    expect(directSendBackstopAt(deadlineAt, 32_000, send(early), early).getTime()).toBe(
      early + 10_000,
    );
    // The watchdog's PATCH 4 s before the deadline: due 2 s before it, not 6 s after it.
    const watchdog = callbackAt + 28_000;
    expect(directSendBackstopAt(deadlineAt, 32_000, send(watchdog), watchdog).toISOString()).toBe(
      '2026-01-01T12:00:30.000Z',
    );
    // Never before the first try has had its answer, even when that is past the deadline.
    const late = callbackAt + 31_000;
    expect(directSendBackstopAt(deadlineAt, 32_000, send(late), late).getTime()).toBe(late + 2_000);
  });
});
