const MINUTE_MS = 60_000;
const MINUTES_KEPT = 60;
/** Per minute: a uniform reservoir sample keeps memory bounded at any callback rate. */
const SAMPLES_PER_MINUTE = 2048;

interface Bucket {
  minute: number;
  seen: number;
  samples: number[];
}

/**
 * Callback ack latencies of this gateway process over the last hour, per minute, for the
 * console's overview (a small deployment may run no Prometheus). Per replica: with several
 * gateways each one shows its own.
 */
export class AckLatencyWindow {
  private readonly buckets = new Map<number, Bucket>();

  constructor(private readonly random: () => number = Math.random) {}

  record(durationMs: number, now = Date.now()): void {
    const minute = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    let bucket = this.buckets.get(minute);
    if (!bucket) {
      bucket = { minute, seen: 0, samples: [] };
      this.buckets.set(minute, bucket);
      this.forgetBefore(minute - (MINUTES_KEPT - 1) * MINUTE_MS);
    }
    bucket.seen += 1;
    if (bucket.samples.length < SAMPLES_PER_MINUTE) bucket.samples.push(durationMs);
    else {
      const slot = Math.floor(this.random() * bucket.seen);
      if (slot < SAMPLES_PER_MINUTE) bucket.samples[slot] = durationMs;
    }
  }

  /** p50 and p99 (nearest rank) of one minute, or null when nothing was answered in it. */
  quantiles(minute: number): { p50Ms: number; p99Ms: number } | null {
    const samples = this.buckets.get(minute)?.samples;
    if (!samples || samples.length === 0) return null;
    const sorted = [...samples].sort((a, b) => a - b);
    const rank = (q: number) =>
      sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    return { p50Ms: rank(0.5), p99Ms: rank(0.99) };
  }

  private forgetBefore(minute: number): void {
    for (const key of this.buckets.keys()) if (key < minute) this.buckets.delete(key);
  }
}
