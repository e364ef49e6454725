import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Preloaded into a measured process (`node --require …/loop-probe.js`) by the benchmarks only:
 * every 500 ms it appends that window's event-loop delay (ms) to BENCH_LOOP_PROBE_FILE. The
 * service itself exposes nothing new for it.
 */
const file = process.env.BENCH_LOOP_PROBE_FILE;
if (file) {
  const resolutionMs = 10;
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  // The histogram records the whole time between its timer's ticks: the delay is what exceeds it.
  const ms = (nanos: number) => Math.max(0, Math.round(nanos / 10_000 - resolutionMs * 100) / 100);
  setInterval(() => {
    const line = {
      t: Date.now(),
      mean: ms(histogram.mean),
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
    };
    histogram.reset();
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }, 500).unref();
}
