import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import type { Meter } from '@opentelemetry/api';

const GC_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
const GC_KINDS: Record<number, string> = {
  1: 'scavenge',
  2: 'mark_sweep',
  4: 'incremental',
  8: 'weak_callbacks',
};

/**
 * Node's own health, under the names prom-client gives them (so stock dashboards and alerts
 * read them): CPU, memory, event-loop delay and utilization, garbage collection. The event-loop
 * figures cover the time since the previous collection. Returns what stops the observers.
 */
export function registerRuntimeMetrics(meter: Meter): () => void {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let utilization = performance.eventLoopUtilization();

  meter
    .createObservableCounter('process_cpu_seconds', {
      description: 'User and system CPU time spent, in seconds',
    })
    .addCallback((result) => {
      const { user, system } = process.cpuUsage();
      result.observe((user + system) / 1e6);
    });
  meter
    .createObservableGauge('process_start_time_seconds', {
      description: 'Start time of the process since the Unix epoch, in seconds',
    })
    .addCallback((result) => {
      result.observe(Math.round(performance.timeOrigin / 1000));
    });
  meter
    .createObservableGauge('process_resident_memory_bytes', {
      description: 'Resident memory size, in bytes',
    })
    .addCallback((result) => result.observe(process.memoryUsage.rss()));
  meter
    .createObservableGauge('nodejs_heap_size_used_bytes', {
      description: 'V8 heap in use, in bytes',
    })
    .addCallback((result) => result.observe(process.memoryUsage().heapUsed));
  meter
    .createObservableGauge('nodejs_heap_size_total_bytes', {
      description: 'V8 heap reserved, in bytes',
    })
    .addCallback((result) => result.observe(process.memoryUsage().heapTotal));
  meter
    .createObservableGauge('nodejs_external_memory_bytes', {
      description: 'Memory of C++ objects bound to JavaScript (buffers), in bytes',
    })
    .addCallback((result) => result.observe(process.memoryUsage().external));
  const lagP99 = meter.createObservableGauge('nodejs_eventloop_lag_p99_seconds', {
    description: '99th percentile of event-loop delay since the last collection, in seconds',
  });
  const lagMax = meter.createObservableGauge('nodejs_eventloop_lag_max_seconds', {
    description: 'Largest event-loop delay since the last collection, in seconds',
  });
  meter.addBatchObservableCallback(
    (result) => {
      const seen = delay.count > 0;
      result.observe(lagP99, seen ? delay.percentile(99) / 1e9 : 0);
      result.observe(lagMax, seen ? delay.max / 1e9 : 0);
      delay.reset();
    },
    [lagP99, lagMax],
  );
  meter
    .createObservableGauge('nodejs_eventloop_utilization_ratio', {
      description: 'Share of time the event loop was busy since the last collection (0–1)',
    })
    .addCallback((result) => {
      const now = performance.eventLoopUtilization();
      result.observe(performance.eventLoopUtilization(now, utilization).utilization);
      utilization = now;
    });

  const gc = meter.createHistogram('nodejs_gc_duration_seconds', {
    description: 'Garbage collection pauses by kind, in seconds',
    advice: { explicitBucketBoundaries: GC_BUCKETS },
  });
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind ?? 0;
      gc.record(entry.duration / 1000, { kind: GC_KINDS[kind] ?? 'other' });
    }
  });
  observer.observe({ entryTypes: ['gc'] });

  return () => {
    delay.disable();
    observer.disconnect();
  };
}
