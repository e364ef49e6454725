import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { QueueInspector } from '@app/queue';

const SAMPLE_EVERY_MS = 15_000;
const KEPT_MS = 60 * 60_000;

export interface QueueDepthSample {
  at: string;
  /** Jobs waiting, prioritized, active or delayed, per queue. */
  depth: Record<string, number>;
}

/**
 * Queue depth over the last hour, sampled by this gateway every 15 s (Redis holds only the
 * present), for the console's overview. A sample that cannot be taken (Redis away) is skipped.
 */
@Injectable()
export class QueueDepthHistory implements OnModuleInit, OnModuleDestroy {
  private readonly samples: QueueDepthSample[] = [];
  private timer?: NodeJS.Timeout;

  constructor(private readonly queues: QueueInspector) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sample(), SAMPLE_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** The hour's samples, and one taken now. */
  async history(): Promise<QueueDepthSample[]> {
    await this.sample();
    return [...this.samples];
  }

  private async sample(now = Date.now()): Promise<void> {
    try {
      const stats = await this.queues.stats(now);
      const depth: Record<string, number> = {};
      for (const { queue, counts } of stats) {
        depth[queue] =
          (counts.waiting ?? 0) +
          (counts.prioritized ?? 0) +
          (counts.active ?? 0) +
          (counts.delayed ?? 0);
      }
      this.samples.push({ at: new Date(now).toISOString(), depth });
      while (this.samples.length > 0 && Date.parse(this.samples[0].at) < now - KEPT_MS) {
        this.samples.shift();
      }
    } catch {
      // Redis unreachable: no sample this time; readiness reports it.
    }
  }
}
