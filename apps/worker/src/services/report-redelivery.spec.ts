import { redeliveryAt } from './report-redelivery';

describe('redeliveryAt', () => {
  const now = new Date('2026-12-04T12:00:00Z');
  const policy = { redeliveryDelayMs: 5_000, redeliveryMaxDelayMs: 60_000 };
  const delayAfter = (failed: number) =>
    redeliveryAt(failed, now, policy).getTime() - now.getTime();

  it('waits the base delay after the first failed delivery, then doubles', () => {
    expect([1, 2, 3, 4].map(delayAfter)).toEqual([5_000, 10_000, 20_000, 40_000]);
  });

  it('never waits longer than the cap, however many deliveries failed', () => {
    expect(delayAfter(5)).toBe(60_000);
    expect(delayAfter(1_000)).toBe(60_000);
  });

  it('treats a row with no recorded failure like the first one', () => {
    expect(delayAfter(0)).toBe(5_000);
  });
});
