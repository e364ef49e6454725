import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { time } from '../format';
import type { Overview } from '../types';
import { Chart, color } from './chart';

const REFRESH_MS = 10_000;

/** The last hour, per minute, refreshing: traffic, approvals, latencies, queues. */
export function OverviewPage() {
  const [data, setData] = useState<Overview | null>(null);
  useEffect(() => {
    const load = () => void api<Overview>('GET', '/v1/admin/overview').then(setData);
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  if (!data) return <p>Loading…</p>;
  const x = data.minutes.map((m) => Date.parse(m) / 1000);
  const acquirers = Object.keys(data.approvalRate);
  const queueX = data.queueDepth.map((s) => Date.parse(s.at) / 1000);
  const queues = [...new Set(data.queueDepth.flatMap((s) => Object.keys(s.depth)))];
  const deadline = x.map(() => data.patchDeadlineMs);
  return (
    <section>
      <h1>Overview</h1>
      <p class="hint">
        Last hour per minute, refreshed every {REFRESH_MS / 1000} s (at {time(data.generatedAt)}{' '}
        UTC). From the service's own data: Postgres, and this gateway replica for ack latency and
        queue samples.
      </p>
      <div class="charts">
        <Chart
          title="Callbacks per second"
          unit="callbacks/s"
          x={x}
          series={[
            { label: 'card + token callbacks', values: data.callbacksPerSecond, color: color(0) },
          ]}
        />
        <Chart
          title="Approval rate per acquirer"
          unit="approved share"
          max={1}
          x={x}
          series={
            acquirers.length > 0
              ? acquirers.map((a, i) => ({
                  label: a,
                  values: data.approvalRate[a],
                  color: color(i),
                }))
              : [{ label: 'no outcomes yet', values: x.map(() => null), color: color(0) }]
          }
        />
        <Chart
          title="Callback ack latency"
          unit="ms"
          x={x}
          series={[
            { label: 'p50', values: data.ackLatency.p50Ms, color: color(1) },
            { label: 'p99', values: data.ackLatency.p99Ms, color: color(2) },
          ]}
        />
        <Chart
          title="Callback → final PATCH against the deadline"
          unit="ms"
          x={x}
          series={[
            { label: 'p99', values: data.callbackToPatch.p99Ms, color: color(0) },
            { label: 'max', values: data.callbackToPatch.maxMs, color: color(3) },
            { label: 'PATCH deadline', values: deadline, color: '#dc2626', dash: [6, 4] },
          ]}
        />
        <Chart
          title="Queue depth (waiting, active, delayed)"
          unit="jobs"
          x={queueX}
          series={queues.map((q, i) => ({
            label: q,
            values: data.queueDepth.map((s) => s.depth[q] ?? null),
            color: color(i),
          }))}
        />
      </div>
    </section>
  );
}
