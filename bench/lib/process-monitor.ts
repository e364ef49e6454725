import { existsSync, readFileSync } from 'node:fs';
import type { ServiceName, Stack } from '../../scripts/stack/stack';
import { round } from './stats';

/** Resident set size of a process in MiB, from /proc (Linux), or undefined when it is gone. */
export function rssMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

export type RssSummary = Partial<Record<ServiceName, { peakMiB: number; lastMiB: number }>>;

/** Samples the RSS of the stack's processes while a load step runs. */
export class RssSampler {
  private readonly samples = new Map<ServiceName, number[]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stack: Stack,
    private readonly names: ServiceName[] = ['gateway', 'worker', 'sandbox'],
  ) {}

  start(intervalMs = 500): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    return this;
  }

  stop(): RssSummary {
    clearInterval(this.timer);
    this.sample();
    const summary: RssSummary = {};
    for (const [name, values] of this.samples) {
      if (values.length === 0) continue;
      summary[name] = { peakMiB: Math.max(...values), lastMiB: values[values.length - 1] };
    }
    return summary;
  }

  private sample(): void {
    for (const name of this.names) {
      const rss = rssMiB(this.stack.pid(name));
      if (rss === undefined) continue;
      const list = this.samples.get(name) ?? [];
      list.push(rss);
      this.samples.set(name, list);
    }
  }
}

export interface LoopLag {
  windows: number;
  meanMs: number;
  p99Ms: number;
  maxMs: number;
}

/** The event-loop delay the probe (loop-probe.ts) recorded between two moments (epoch ms). */
export function loopLagBetween(file: string, from: number, to: number): LoopLag | undefined {
  if (!existsSync(file)) return undefined;
  const windows = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { t: number; mean: number; p99: number; max: number })
    .filter((w) => w.t > from && w.t <= to + 500);
  if (windows.length === 0) return undefined;
  return {
    windows: windows.length,
    meanMs: round(windows.reduce((sum, w) => sum + w.mean, 0) / windows.length, 2),
    // The worst window's p99: a step's p99 cannot be rebuilt from per-window percentiles.
    p99Ms: Math.max(...windows.map((w) => w.p99)),
    maxMs: Math.max(...windows.map((w) => w.max)),
  };
}
