import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { http } from '../../scripts/stack/http';
import type { Stack } from '../../scripts/stack/stack';
import { checkFlows, type FlowCheck, settled } from './flow-check';
import { generateLoad } from './load';
import type { LoadResult } from './load-generator';
import { preparePayments, type SwipeCard, writeSwipePlan } from './payments';
import type { PrivateRedis } from './private-redis';
import { seededRandom, shuffle } from './random';
import { acquirerAuthorizations } from './sandbox-records';

export type Fault = 'gateway' | 'worker' | 'redis';

export interface ChaosOptions {
  ratePerSecond: number;
  durationMs: number;
  /** Each is injected once, in a random order, at a random moment of its slice of the load. */
  faults: Fault[];
  settleTimeoutMs: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface ChaosContext {
  stack: Stack;
  redis: PrivateRedis;
  databaseUrl: string;
  planDir: string;
}

export interface FaultEvent {
  fault: Fault;
  atMs: number;
  downMs: number;
  recoveredAfterMs: number;
}

export interface ChaosResult {
  seed: number;
  ratePerSecond: number;
  durationMs: number;
  swipes: {
    sent: number;
    acked: number;
    callbackFailed: number;
    statusCounts: LoadResult['statusCounts'];
  };
  faults: FaultEvent[];
  settleMs: number;
  processesAlive: boolean;
  check: FlowCheck;
  violations: string[];
}

/** Approved and declined cards, card data (RSA) and network tokens, REST and ISO 8583 acquirers. */
const CARD_MIX: SwipeCard[] = [
  { cardNumber: '4111111111111111', cardType: 'VISA-CREDIT', tokenize: false },
  { cardNumber: '5555555555554444', cardType: 'MC-CREDIT', tokenize: true },
  { cardNumber: '5019717010103742', cardType: 'DANKORT', tokenize: false },
  { cardNumber: '4000000000000002', cardType: 'VISA-CREDIT', tokenize: false },
  { cardNumber: '4000056655665556', cardType: 'VISA-DEBIT', tokenize: true },
];

async function inject(ctx: ChaosContext, fault: Fault, downMs: number): Promise<void> {
  if (fault === 'redis') {
    await ctx.redis.kill();
    await sleep(downMs);
    await ctx.redis.restart();
    return;
  }
  await ctx.stack.kill(fault);
  await sleep(downMs);
  await ctx.stack.start(fault);
}

/**
 * Steady swipes from a separate process while the gateway, the worker and Redis are killed -9
 * and restarted; then the janitor's time to repair, and the invariants checked from MobilePay's,
 * the acquirers' and our own records.
 */
export async function runChaos(ctx: ChaosContext, options: ChaosOptions): Promise<ChaosResult> {
  const log = options.log ?? (() => undefined);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const random = seededRandom(seed);
  const count = Math.ceil((options.ratePerSecond * options.durationMs) / 1000);
  const cardOf = (i: number) => CARD_MIX[i % CARD_MIX.length];
  const { merchant, payments } = await preparePayments(ctx.stack, count, (i) => ({
    allowedCardTypes: [cardOf(i).cardType],
  }));
  const planFile = join(ctx.planDir, 'chaos-swipes.jsonl');
  writeSwipePlan(planFile, payments, cardOf);
  log(
    `chaos: ${count} payments ready; load ${options.ratePerSecond}/s, faults ${options.faults.join(', ')}`,
  );

  const started = Date.now();
  const loading = generateLoad({
    url: ctx.stack.urls.sandbox,
    bodiesFile: planFile,
    mode: 'open',
    ratePerSecond: options.ratePerSecond,
    durationMs: options.durationMs,
    targets: true,
    keepResponses: true,
    timeoutMs: 60_000,
  });
  const events: FaultEvent[] = [];
  const faults = shuffle(options.faults, random);
  const slice = options.durationMs / Math.max(1, faults.length);
  for (const [i, fault] of faults.entries()) {
    const at = slice * i + slice * (0.1 + 0.5 * random());
    await sleep(Math.max(0, started + at - Date.now()));
    const downMs = Math.round(300 + 1_700 * random());
    const t0 = Date.now();
    log(`chaos: kill -9 ${fault} at ${t0 - started} ms, down ${downMs} ms`);
    await inject(ctx, fault, downMs);
    events.push({ fault, atMs: t0 - started, downMs, recoveredAfterMs: Date.now() - t0 });
  }
  const load = await loading;
  const swipes = (load.responses ?? []).map((r) => r.body as { callbackStatus?: string });
  log(`chaos: load done (${load.sent} swipes); waiting for the janitor`);

  const settleStart = Date.now();
  const ids = payments.map((p) => p.mobilePayPaymentId);
  let check = await checkFlows(ctx.stack, ctx.databaseUrl, merchant.id, ids);
  while (!settled(check) && Date.now() - settleStart < options.settleTimeoutMs) {
    await sleep(2_000);
    check = await checkFlows(ctx.stack, ctx.databaseUrl, merchant.id, ids);
  }
  const processesAlive = ctx.stack.isRunning('gateway') && ctx.stack.isRunning('worker');
  const violations = [...check.violations];
  if (!processesAlive) violations.push('gateway or worker not running after the chaos');
  if (check.acked === 0) violations.push('no callback was acked: the run proves nothing');
  return {
    seed,
    ratePerSecond: options.ratePerSecond,
    durationMs: options.durationMs,
    swipes: {
      sent: load.sent,
      acked: swipes.filter((s) => s?.callbackStatus === 'acked').length,
      callbackFailed: swipes.filter((s) => s?.callbackStatus === 'failed').length,
      statusCounts: load.statusCounts,
    },
    faults: events,
    settleMs: Date.now() - settleStart,
    processesAlive,
    check,
    violations,
  };
}

/**
 * The worst moment for a crash, on purpose: the worker dies while the acquirer holds its answer
 * (the attempt is AUTHORIZING in Postgres), then Redis restarts empty, so neither the authorize
 * job nor the deadline watchdog exists any more. Only Postgres knows; the janitor must still see
 * the attempt patched before its deadline.
 */
export async function runInFlightCrash(
  ctx: ChaosContext,
  settleTimeoutMs = 45_000,
): Promise<{ settleMs: number; check: FlowCheck; violations: string[] }> {
  const { stack } = ctx;
  const { merchant, payments } = await preparePayments(stack, 1, () => ({
    allowedCardTypes: ['VISA-CREDIT'],
  }));
  const id = payments[0].mobilePayPaymentId;
  await http('POST', `${stack.urls.sandbox}/acquirer/v1/_behaviour`, { delayMs: 3_000 });
  try {
    const swiped = await http<{ authorizationAttemptId: string }>(
      'POST',
      `${stack.urls.sandbox}/sandbox/v1/payments/${id}/swipe`,
      { cardNumber: '4111111111111111', cardType: 'VISA-CREDIT', tokenize: false },
    );
    const { authorizationAttemptId } = swiped.body;
    const deadline = Date.now() + 10_000;
    while (
      !(await acquirerAuthorizations(stack)).some((a) => a.reference === authorizationAttemptId)
    ) {
      if (Date.now() > deadline) throw new Error('the acquirer never saw the authorization');
      await sleep(50);
    }
    await stack.kill('worker');
  } finally {
    await http('DELETE', `${stack.urls.sandbox}/acquirer/v1/_behaviour`);
  }
  await stack.start('worker');
  await ctx.redis.restart();
  const started = Date.now();
  let check = await checkFlows(stack, ctx.databaseUrl, merchant.id, [id]);
  while (!settled(check) && Date.now() - started < settleTimeoutMs) {
    await sleep(1_000);
    check = await checkFlows(stack, ctx.databaseUrl, merchant.id, [id]);
  }
  return { settleMs: Date.now() - started, check, violations: check.violations };
}
