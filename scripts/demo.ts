import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  approveEpayment,
  createEpaymentPayment,
  epaymentSimView,
  onboardEpaymentMerchant,
} from './stack/epayment-scenario';
import {
  CLEARHAUS_AMOUNT_SELECTED_VISA,
  CLEARHAUS_APPROVED_VISA,
} from '../apps/sandbox/src/acquirers/clearhaus/clearhaus-rules';
import { http } from './stack/http';
import { createPayment, onboardMerchant, swipe, waitForFinalPatch } from './stack/scenario';
import { REPO_ROOT, startStack, type Stack } from './stack/stack';

/**
 * The main job: one real payment through sandbox (MobilePay + acquirer), gateway and worker,
 * over real sockets with real Postgres and Redis, then a declined card. Prints the timeline.
 */
const ROUTES = 'DANKORT=nets-iso8583,*=clearhaus';
const t0 = performance.now();
const stamp = () => `${(performance.now() - t0).toFixed(0).padStart(6)} ms`;
const say = (line: string) => console.log(`${stamp()}  ${line}`);

async function payOnce(
  stack: Stack,
  label: string,
  card?: { cardNumber: string; cardType: string },
  amount?: number,
) {
  const merchant = await onboardMerchant(stack);
  say(`[${label}] merchant onboarded at MobilePay (merchant ${merchant.id})`);
  const started = performance.now();
  const payment = await createPayment(stack, merchant, {
    ...(card ? { allowedCardTypes: [card.cardType] } : {}),
    ...(amount ? { amount } : {}),
  });
  say(
    `[${label}] payment created: ${payment.id} → MobilePay payment ${payment.mobilePayPaymentId} (${payment.status})`,
  );
  const swipeStarted = performance.now();
  const swiped = await swipe(stack, payment.mobilePayPaymentId, card);
  const acked = performance.now();
  say(
    `[${label}] user swiped; card-data callback acked by gateway (attempt ${swiped.authorizationAttemptId}, ${(acked - swipeStarted).toFixed(0)} ms incl. encryption)`,
  );
  const attempt = await waitForFinalPatch(
    stack,
    payment.mobilePayPaymentId,
    swiped.authorizationAttemptId,
  );
  const patched = performance.now();
  const outcome = attempt.final!.succeeded
    ? 'succeeded'
    : `failed (reasonCode ${attempt.final!.reasonCode})`;
  say(
    `[${label}] authorization attempt patched: ${outcome} — ${(patched - acked).toFixed(0)} ms after the ack, ${(patched - started).toFixed(0)} ms end to end`,
  );
  return attempt.final!.succeeded;
}

/** ePayment (CARD_PASSTHROUGH): online token → acquirer → RESERVE → capture, then in person. */
async function payWithEpayment(stack: Stack): Promise<void> {
  // The Clearhaus adapter takes MobilePay Online's token payload (`mobilepayonline`); an ePayment
  // network token goes to the REST acquirer until Clearhaus's plain network-token method is wired.
  const merchant = await onboardEpaymentMerchant(stack, {
    DANKORT: 'nets-iso8583',
    '*': 'rest-acquirer',
  });
  say(`[ePayment] merchant on the ePayment channel, MSN ${merchant.msn}`);
  const online = await createEpaymentPayment(stack, merchant, { amount: 49_900 });
  say(`[ePayment] payment created at Vipps MobilePay: reference ${online.id} (${online.status})`);
  const reserved = await approveEpayment(stack, online.id, { cardNumber: CLEARHAUS_APPROVED_VISA });
  say(
    `[ePayment] card callback answered ${reserved.answer?.status ?? reserved.httpStatus} in ${reserved.elapsedMs} ms (network token, synchronous)`,
  );
  if (reserved.answer?.status !== 'RESERVE')
    throw new Error('the ePayment payment was not reserved');
  const capture = await http(
    'POST',
    `${stack.urls.gateway}/v1/payments/${online.id}/captures`,
    { amount: 49_900 },
    { authorization: `Bearer ${merchant.apiKey}`, 'idempotency-key': `cap-${online.id}` },
  );
  if (capture.status !== 201) throw new Error(`capture failed: ${capture.status}`);
  let view = await epaymentSimView(stack, online.id);
  for (let i = 0; i < 50 && view.captured === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    view = await epaymentSimView(stack, online.id);
  }
  say(
    `[ePayment] captured; Vipps MobilePay's aggregate: captured ${view.captured} of ${view.authorized}`,
  );
  const inPerson = await createEpaymentPayment(stack, merchant, {
    amount: 4_500,
    redirectFromMobilePayUrl: undefined,
    userFlow: 'PUSH_MESSAGE',
    customerPhoneNumber: '4512345678',
    customerPresent: true,
  });
  const tapped = await approveEpayment(stack, inPerson.id, { cardNumber: '5555555555554444' });
  say(
    `[ePayment in person] push message to the customer's phone; card callback answered ${tapped.answer?.status ?? tapped.httpStatus} in ${tapped.elapsedMs} ms`,
  );
  if (tapped.answer?.status !== 'RESERVE')
    throw new Error('the in-person payment was not reserved');
}

async function main(): Promise<void> {
  say('starting sandbox, gateway and worker');
  const stack = await startStack({
    databaseUrl: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/psp_gateway',
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    workDir: join(REPO_ROOT, '.data', 'demo'),
    // Visa and Mastercard (card data and tokens) at Clearhaus; Dankort at Nets (ISO 8583).
    env: { gateway: { ACQUIRER_ROUTES: ROUTES }, worker: { ACQUIRER_ROUTES: ROUTES } },
  });
  say(`up: sandbox ${stack.urls.sandbox}, gateway ${stack.urls.gateway} (logs in ${stack.logDir})`);
  try {
    // Clearhaus' special test PAN: approved, through the simulator with a signed request.
    const approved = await payOnce(stack, 'approved card', {
      cardNumber: CLEARHAUS_APPROVED_VISA,
      cardType: 'VISA-CREDIT',
    });
    // A Dankort goes to the Nets ISO 8583 host (Clearhaus does not acquire Dankort), with
    // MobilePay's delegated authentication.
    const dankort = await payOnce(stack, 'Dankort at Nets', {
      cardNumber: '5019717010103742',
      cardType: 'DANKORT',
    });
    // On 420000…0000 the amount picks Clearhaus' status: 404.10 DKK → 40410, declined by issuer.
    const declined = await payOnce(
      stack,
      'declined card',
      { cardNumber: CLEARHAUS_AMOUNT_SELECTED_VISA, cardType: 'VISA-CREDIT' },
      40_410,
    );
    const records = await http<{
      authorizations: { id: string; code: number; maskedPan: string }[];
    }>('GET', `${stack.urls.sandbox}/clearhaus/_records`);
    for (const record of records.body.authorizations) {
      say(
        `Clearhaus simulator: signed authorization ${record.id} for ${record.maskedPan} → status ${record.code}`,
      );
    }
    if (!approved || !dankort || declined)
      throw new Error('unexpected outcome: the first two payments must succeed, the third fail');
    await payWithEpayment(stack);
    say(
      'demo finished: two payments authorized and patched (Clearhaus, Nets), one declined and patched, ' +
        'one ePayment reserved and captured, one in person reserved',
    );
    say(
      `operator console: ${stack.urls.gateway}/console — sign in with the admin key ${stack.adminKey}`,
    );
    if (keepRunning()) {
      say('the stack keeps running for the console; Ctrl-C stops it');
      await untilInterrupted();
    }
  } finally {
    await stack.close();
  }
}

/** Interactive runs stay up so the console can be opened; CI (no terminal) stops at once. */
function keepRunning(): boolean {
  if (process.env.DEMO_KEEP_RUNNING !== undefined) return process.env.DEMO_KEEP_RUNNING === '1';
  return Boolean(process.stdout.isTTY) && process.env.CI !== 'true';
}

function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
