import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cardDataCallback } from '../scripts/stack/mobilepay-callbacks';
import type { Stack } from '../scripts/stack/stack';
import type { BenchContext, BenchOutcome } from './lib/cli';
import { runBenchCommand } from './lib/cli';
import { generateLoad } from './lib/load';
import type { LoadPlan, LoadResult } from './lib/load-generator';
import { opensslRsaSignsPerSecond } from './lib/openssl-speed';
import { preparePayments } from './lib/payments';
import { loopLagBetween, RssSampler } from './lib/process-monitor';
import { round, summarize } from './lib/stats';

/**
 * Callback intake: the full path HTTP → decrypt (RSA-4096) → checks → seal → Postgres → BullMQ
 * → 200, with the worker authorizing and patching in parallel as in production. Throughput in a
 * closed loop, compared with the RSA-4096 private-key operations per second `openssl speed`
 * measures in the same run; then ack latency at 25/50/75 % of that rate in an open loop, with the
 * gateway's event-loop delay and every process's memory.
 */
const STEPS = [0.25, 0.5, 0.75];
const CONCURRENCY = 32;

async function writeBodies(stack: Stack, count: number, file: string): Promise<void> {
  const { payments } = await preparePayments(stack, count, () => ({
    allowedCardTypes: ['VISA-CREDIT'],
  }));
  const pem = readFileSync(stack.publicKeyPath, 'utf8');
  const card = { pan: '4111111111111111', expiryMonth: 12, expiryYear: 39 };
  const lines = payments.map((p) =>
    JSON.stringify(cardDataCallback(pem, stack.publicKeyId, p.mobilePayPaymentId, card)),
  );
  writeFileSync(file, lines.join('\n'));
}

interface Measured {
  result: LoadResult;
  phase: Record<string, unknown>;
}

/** One load phase, with the gateway's event-loop delay and the RSS of each process meanwhile. */
async function measure(stack: Stack, probe: string | undefined, plan: LoadPlan): Promise<Measured> {
  const rss = new RssSampler(stack).start();
  const from = Date.now();
  const result = await generateLoad(plan);
  const to = Date.now();
  return {
    result,
    phase: {
      sent: result.sent,
      acked: result.ok,
      dropped: result.failed,
      statusCounts: result.statusCounts,
      ackLatencyMs: summarize(result.latenciesMs),
      gatewayEventLoopDelayMs: probe ? loopLagBetween(probe, from, to) : 'not measured',
      rssMiB: rss.stop(),
    },
  };
}

export async function benchIntake(context: BenchContext): Promise<BenchOutcome> {
  const { session, short, log } = context;
  const throughputMs = short ? 5_000 : 15_000;
  const stepMs = short ? 4_000 : 10_000;
  const opensslSigns = opensslRsaSignsPerSecond(4096, short ? 1 : 3);
  log(`openssl speed rsa4096: ${opensslSigns} sign/s`);
  // Per-request info logs cost CPU; production may log at info, so this is overridable.
  const logLevel = context.stack ? 'info' : process.env.BENCH_LOG_LEVEL || 'warn';
  const bench =
    context.stack ??
    (await session.startStack('intake', {
      loopProbe: true,
      otel: context.otel,
      logLevel,
      nodeArgs: { gateway: process.env.BENCH_GATEWAY_NODE_ARGS?.split(' ').filter(Boolean) },
    }));
  const { stack, loopProbeFile } = bench;
  const plans = join(bench.workDir, 'plans');
  const url = `${stack.urls.gateway}/callbacks/mobilepay/card-data`;
  try {
    if (process.argv.includes('--no-worker')) await stack.stop('worker');
    const capacity = short
      ? Math.min(250, Math.ceil(opensslSigns * 2 * (throughputMs / 1000)))
      : Math.ceil(opensslSigns * 3 * (throughputMs / 1000)) + 200;
    log(`preparing ${capacity} payments for the closed loop`);
    await writeBodies(stack, capacity, join(plans, 'throughput.jsonl'));
    const closed = await measure(stack, loopProbeFile, {
      url,
      bodiesFile: join(plans, 'throughput.jsonl'),
      mode: 'closed',
      concurrency: CONCURRENCY,
      durationMs: throughputMs,
    });
    const sustained = (closed.result.ok / closed.result.elapsedMs) * 1000;
    log(`sustained ${round(sustained)} callbacks/s`);

    const steps: Record<string, unknown>[] = [];
    for (const fraction of STEPS) {
      const rate = Math.max(1, Math.floor(sustained * fraction));
      const file = join(plans, `step-${fraction}.jsonl`);
      await writeBodies(stack, Math.ceil(rate * (stepMs / 1000)) + 10, file);
      log(`step ${fraction * 100} %: ${rate}/s for ${stepMs} ms`);
      const open = await measure(stack, loopProbeFile, {
        url,
        bodiesFile: file,
        mode: 'open',
        ratePerSecond: rate,
        durationMs: stepMs,
      });
      steps.push({ fractionOfSustained: fraction, ratePerSecond: rate, ...open.phase });
    }
    const half = steps[1] as { ackLatencyMs: { p99: number } };
    const ratio = round(sustained / opensslSigns, 2);
    const dropped = [closed.phase, ...steps].reduce((n, s) => n + Number(s.dropped), 0);
    return {
      report: {
        stack: { logLevel, otel: context.otel, sharedWithOtherBenches: Boolean(context.stack) },
        opensslRsa4096SignsPerSecond: opensslSigns,
        throughput: {
          concurrency: CONCURRENCY,
          callbacksPerSecond: round(sustained),
          ratioToOpenssl: ratio,
          ...closed.phase,
        },
        steps,
        targets: {
          ratioAtLeast: 0.7,
          ratioMet: ratio >= 0.7,
          p99AtHalfRateBelowMs: 50,
          p99AtHalfRateMet: half.ackLatencyMs.p99 < 50,
        },
      },
      violations:
        dropped > 0 ? [`intake dropped ${dropped} callback(s) (non-200 or no answer)`] : [],
    };
  } finally {
    if (!context.stack) await stack.close();
  }
}

if (require.main === module) runBenchCommand('intake', benchIntake);
