import { nextAttemptAt } from './webhook-schedule';

const DEFAULTS = {
  retryBaseMs: 30_000,
  retryMaxDelayMs: 60 * 60_000,
  retryWindowMs: 3 * 24 * 60 * 60_000,
};

describe('webhook retry schedule', () => {
  const created = new Date('2026-01-01T00:00:00Z');

  it('doubles the pause after each failure, up to the cap', () => {
    const delays = [1, 2, 3, 4, 8, 12].map(
      (n) => nextAttemptAt(created, n, created, DEFAULTS)!.getTime() - created.getTime(),
    );
    expect(delays).toEqual([30_000, 60_000, 120_000, 240_000, 3_600_000, 3_600_000]);
  });

  it('keeps retrying for at least 24 hours with the default policy', () => {
    let now = created;
    let attempt = 1;
    for (;;) {
      const next = nextAttemptAt(created, attempt, now, DEFAULTS);
      if (!next) break;
      now = next;
      attempt += 1;
    }
    expect(now.getTime() - created.getTime()).toBeGreaterThanOrEqual(24 * 60 * 60_000);
    expect(attempt).toBeGreaterThan(20);
  });

  it('gives up once the next try would fall outside the window', () => {
    const policy = { ...DEFAULTS, retryWindowMs: 60_000 };
    expect(nextAttemptAt(created, 1, created, policy)).not.toBeNull();
    expect(nextAttemptAt(created, 2, new Date(created.getTime() + 30_000), policy)).toBeNull();
  });
});
