import { setTimeout as sleep } from 'node:timers/promises';

/**
 * At most `max` takes per key within any `windowMs`; a take over the limit waits its turn instead
 * of failing (the API's 5/min per reference limit means "queue, don't fail"). In-process: with
 * several replicas the API's own 429 + Retry-After is the backstop.
 */
export class SlidingWindowLimiter {
  private readonly taken = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  async take(key: string): Promise<void> {
    for (;;) {
      const now = Date.now();
      const recent = (this.taken.get(key) ?? []).filter((at) => now - at < this.windowMs);
      if (recent.length < this.max) {
        recent.push(now);
        this.taken.set(key, recent);
        return;
      }
      this.taken.set(key, recent);
      await sleep(recent[0] + this.windowMs - now + 1);
    }
  }
}
