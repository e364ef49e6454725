import { inquiryBudgetMs, watchdogFireTime } from './deadline';

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
});
