import { nextPollDelay } from './pos-poll-delay';

describe('nextPollDelay', () => {
  const sut = (overrides: Partial<Parameters<typeof nextPollDelay>[0]>) =>
    nextPollDelay({
      minMs: 1_000,
      maxBackoffMs: 30_000,
      pollDelayMs: 1_000,
      failures: 0,
      random: () => 0,
      ...overrides,
    });

  it('follows pollDelayInMs, but never polls faster than once a second', () => {
    expect(sut({ pollDelayMs: 2_500 })).toBe(2_500);
    expect(sut({ pollDelayMs: 100 })).toBe(1_000);
    expect(sut({ pollDelayMs: 0 })).toBe(1_000);
  });

  it('backs off exponentially from the last delay when polls fail, with jitter, up to the cap', () => {
    expect(sut({ failures: 1 })).toBe(2_000);
    expect(sut({ failures: 3 })).toBe(8_000);
    expect(sut({ failures: 10 })).toBe(30_000);
    expect(sut({ failures: 2, random: () => 1 })).toBe(5_000);
    expect(sut({ failures: 40, random: () => 1 })).toBe(37_500);
  });

  it('waits at least what Retry-After says', () => {
    expect(sut({ retryAfterMs: 3_000, failures: 1 })).toBe(3_000);
    expect(sut({ retryAfterMs: 0 })).toBe(1_000);
  });
});
