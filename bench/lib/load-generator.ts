import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * Runs in its own process so that the load it generates does not share an event loop with what is
 * measured. Sends pre-built requests, either as fast as `concurrency` allows (closed loop:
 * throughput) or at a fixed arrival rate (open loop: latency at a given load).
 *
 * Each line of `bodiesFile` is a JSON body POSTed to `url`, or, with `targets`, a
 * `{"path","body"}` object POSTed to `url` + path (e.g. one swipe per payment at the sandbox).
 */
export interface LoadPlan {
  url: string;
  bodiesFile: string;
  mode: 'closed' | 'open';
  concurrency?: number;
  ratePerSecond?: number;
  durationMs: number;
  targets?: boolean;
  /** Keep every answer (status, JSON body, send time): for flows checked afterwards. */
  keepResponses?: boolean;
  timeoutMs?: number;
}

export interface LoadResponse {
  index: number;
  status: number | null;
  body: unknown;
  sentAt: number;
  latencyMs: number;
  error?: string;
}

export interface LoadResult {
  sent: number;
  ok: number;
  failed: number;
  statusCounts: Record<string, number>;
  latenciesMs: number[];
  elapsedMs: number;
  responses?: LoadResponse[];
}

interface Target {
  path: string;
  body: string;
}

function targetsOf(plan: LoadPlan): Target[] {
  const base = new URL(plan.url);
  return readFileSync(plan.bodiesFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      if (!plan.targets) return { path: base.pathname, body: line };
      const { path, body } = JSON.parse(line) as { path: string; body: unknown };
      return { path: `${base.pathname.replace(/\/$/, '')}${path}`, body: JSON.stringify(body) };
    });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 500);
  }
}

async function run(plan: LoadPlan): Promise<LoadResult> {
  const targets = targetsOf(plan);
  const url = new URL(plan.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const result: LoadResult = {
    sent: 0,
    ok: 0,
    failed: 0,
    statusCounts: {},
    latenciesMs: [],
    elapsedMs: 0,
    ...(plan.keepResponses ? { responses: [] } : {}),
  };
  let next = 0;
  const started = performance.now();
  const until = started + plan.durationMs;
  const count = (key: string) => (result.statusCounts[key] = (result.statusCounts[key] ?? 0) + 1);

  const send = (index: number) =>
    new Promise<void>((resolve) => {
      const { path, body } = targets[index];
      const t0 = performance.now();
      const sentAt = Date.now();
      const chunks: Buffer[] = [];
      result.sent++;
      const done = (status: number | null, error?: string) => {
        const latencyMs = performance.now() - t0;
        if (status === 200) {
          result.ok++;
          result.latenciesMs.push(latencyMs);
        } else result.failed++;
        count(error ? 'error' : String(status));
        const text = Buffer.concat(chunks).toString('utf8');
        result.responses?.push({ index, status, body: parse(text), sentAt, latencyMs, error });
        resolve();
      };
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path,
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          if (plan.keepResponses) res.on('data', (chunk: Buffer) => chunks.push(chunk));
          else res.resume();
          res.on('end', () => done(res.statusCode ?? null));
        },
      );
      req.setTimeout(plan.timeoutMs ?? 30_000, () => req.destroy(new Error('timeout')));
      req.on('error', (error) => done(null, error.message));
      req.end(body);
    });

  if (plan.mode === 'closed') {
    const lanes = Array.from({ length: plan.concurrency ?? 16 }, async () => {
      while (performance.now() < until && next < targets.length) await send(next++);
    });
    await Promise.all(lanes);
  } else {
    const interval = 1000 / (plan.ratePerSecond ?? 10);
    const inFlight: Promise<void>[] = [];
    for (let i = 0; performance.now() < until && next < targets.length; i++) {
      const due = started + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inFlight.push(send(next++));
    }
    await Promise.all(inFlight);
  }
  result.elapsedMs = performance.now() - started;
  agent.destroy();
  return result;
}

process.on('message', (plan: LoadPlan) => {
  void run(plan).then((result) => {
    process.send?.(result, () => process.exit(0));
  });
});
