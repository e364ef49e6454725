import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { OverviewRepository } from '@app/persistence';
import { AckLatencyWindow } from '../observability/ack-latency-window';
import { QueueDepthHistory, type QueueDepthSample } from '../observability/queue-depth-history';

const MINUTE_MS = 60_000;
const MINUTES = 60;

export interface Overview {
  generatedAt: string;
  /** MobilePay's PATCH deadline after the callback, the line the PATCH latency is drawn against. */
  patchDeadlineMs: number;
  /** Start of each minute of the last hour; every series below has one value per minute. */
  minutes: string[];
  callbacksPerSecond: number[];
  /** Share of finally patched attempts that succeeded, per acquirer (null: none that minute). */
  approvalRate: Record<string, (number | null)[]>;
  /** Of this gateway replica (the process answering this request). */
  ackLatency: { p50Ms: (number | null)[]; p99Ms: (number | null)[] };
  callbackToPatch: { p99Ms: (number | null)[]; maxMs: (number | null)[] };
  queueDepth: QueueDepthSample[];
}

/** The overview's series for the last hour, from the service's own data (Postgres, this process). */
@Injectable()
export class OverviewService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly overview: OverviewRepository,
    private readonly ackLatencies: AckLatencyWindow,
    private readonly queueDepth: QueueDepthHistory,
  ) {}

  async lastHour(now = Date.now()): Promise<Overview> {
    const first = Math.floor(now / MINUTE_MS) * MINUTE_MS - (MINUTES - 1) * MINUTE_MS;
    const minutes = Array.from({ length: MINUTES }, (_, i) => first + i * MINUTE_MS);
    const since = new Date(first);
    const [callbacks, outcomes, latencies, queueDepth] = await Promise.all([
      this.overview.callbacksPerMinute(since),
      this.overview.outcomesPerMinute(since),
      this.overview.patchLatencyPerMinute(since),
      this.queueDepth.history(),
    ]);
    const slot = (minute: Date) => Math.round((minute.getTime() - first) / MINUTE_MS);
    const callbacksPerSecond = minutes.map(() => 0);
    for (const row of callbacks) callbacksPerSecond[slot(row.minute)] = row.callbacks / 60;
    const approvalRate: Record<string, (number | null)[]> = {};
    for (const row of outcomes) {
      approvalRate[row.acquirer] ??= minutes.map(() => null);
      const total = row.succeeded + row.failed;
      approvalRate[row.acquirer][slot(row.minute)] = total > 0 ? row.succeeded / total : null;
    }
    const p99Ms: (number | null)[] = minutes.map(() => null);
    const maxMs: (number | null)[] = minutes.map(() => null);
    for (const row of latencies) {
      p99Ms[slot(row.minute)] = Math.round(row.p99Ms);
      maxMs[slot(row.minute)] = Math.round(row.maxMs);
    }
    const acks = minutes.map((m) => this.ackLatencies.quantiles(m));
    return {
      generatedAt: new Date(now).toISOString(),
      patchDeadlineMs: this.config.payments.patchDeadlineMs,
      minutes: minutes.map((m) => new Date(m).toISOString()),
      callbacksPerSecond,
      approvalRate,
      ackLatency: {
        p50Ms: acks.map((a) => a?.p50Ms ?? null),
        p99Ms: acks.map((a) => a?.p99Ms ?? null),
      },
      callbackToPatch: { p99Ms, maxMs },
      queueDepth,
    };
  }
}
