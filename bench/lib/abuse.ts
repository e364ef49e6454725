import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import fc from 'fast-check';
import { http } from '../../scripts/stack/http';
import { cardDataCallback } from '../../scripts/stack/mobilepay-callbacks';
import { createPayment, onboardMerchant } from '../../scripts/stack/scenario';
import type { Stack } from '../../scripts/stack/stack';
import type { AbuseRequest, AbuseTargets } from './abuse-cases';
import { corpusRequests } from './abuse-corpus';
import { abuseRequests } from './abuse-requests';
import { maskCardNumber } from './card-number-finder';
import { inLanes } from './payments';

/** Routes the OpenAPI document does not list (yet): invalidation, back office, PoS. */
const EXTRA_ROUTES = [
  'POST /v1/payments/{id}/invalidate',
  'GET /v1/admin/jobs/failed',
  'POST /v1/admin/jobs/{queue}/{id}/retry',
  'POST /v1/pos/payments',
  'GET /v1/pos/payments',
  'GET /v1/pos/payments/{id}',
  'POST /v1/pos/payments/{id}/ready',
  'POST /v1/pos/payments/{id}/capture',
  'POST /v1/pos/payments/{id}/cancel',
  'POST /v1/pos/payments/{id}/refunds',
  'GET /v1/pos/events',
  'GET /v1/pos/stores',
  'GET /v1/pos/stores/{id}',
  'POST /v1/pos/points-of-sale',
  'GET /v1/pos/points-of-sale',
  'GET /v1/pos/points-of-sale/{id}',
  'DELETE /v1/pos/points-of-sale/{id}',
  'GET /v1/pos/points-of-sale/{id}/checkin',
  'GET /v1/pos/refunds/{id}',
  'POST /v1/pos/refunds/{id}/capture',
  'POST /v1/pos/refunds/{id}/cancel',
];

async function openApiOf(stack: Stack): Promise<Record<string, unknown>> {
  const { status, body } = await http<Record<string, unknown>>(
    'GET',
    `${stack.urls.gateway}/v1/openapi.json`,
  );
  if (status !== 200) throw new Error(`GET /v1/openapi.json answered ${status}`);
  return body;
}

function routesOf(document: Record<string, unknown>): { method: string; path: string }[] {
  const routes = new Set(EXTRA_ROUTES);
  const paths = (document.paths ?? {}) as Record<string, Record<string, unknown>>;
  for (const [path, operations] of Object.entries(paths)) {
    for (const method of Object.keys(operations)) routes.add(`${method.toUpperCase()} ${path}`);
  }
  return [...routes].sort().map((route) => {
    const [method, path] = route.split(' ');
    return { method, path };
  });
}

/** Two merchants with payments, a pool of valid card-data callbacks, every route. */
export async function prepareAbuseTargets(stack: Stack): Promise<AbuseTargets> {
  const merchant = await onboardMerchant(stack);
  const other = await onboardMerchant(stack);
  const payments = await inLanes(8, 4, () => createPayment(stack, merchant));
  const otherPayment = await createPayment(stack, other);
  const publicKeyPem = readFileSync(stack.publicKeyPath, 'utf8');
  const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const openApi = await openApiOf(stack);
  return {
    publicKeyPem,
    publicKeyId: stack.publicKeyId,
    foreignKeyPem: foreign.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    mobilePayPaymentIds: payments.map((p) => p.mobilePayPaymentId),
    paymentIds: payments.map((p) => p.id),
    otherPaymentId: otherPayment.id,
    merchantKey: merchant.apiKey,
    otherMerchantKey: other.apiKey,
    adminKey: stack.adminKey,
    routes: routesOf(openApi),
    openApi,
    cardDataPool: payments.slice(0, 6).map((p) =>
      cardDataCallback(publicKeyPem, stack.publicKeyId, p.mobilePayPaymentId, {
        pan: '4111111111111111',
        expiryMonth: 12,
        expiryYear: 39,
      }),
    ),
  };
}

interface Answer {
  status: number | null;
  body: string;
  error?: string;
}

function send(stack: Stack, req: AbuseRequest): Promise<Answer> {
  const base = new URL(req.base === 'worker' ? stack.urls.workerHealth : stack.urls.gateway);
  return new Promise((resolve) => {
    let settled = false;
    const done = (answer: Answer) => !settled && ((settled = true), resolve(answer));
    try {
      const outgoing = request(
        {
          host: base.hostname,
          port: base.port,
          method: req.method,
          path: req.path,
          // A fresh connection each: a reused keep-alive socket the server just closed (after a
          // 413, say) would look like a dropped request.
          agent: false,
          headers: {
            ...req.headers,
            ...(req.body === undefined
              ? {}
              : { 'content-length': Buffer.byteLength(req.body, req.encoding ?? 'utf8') }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.length < 4 && chunks.push(chunk));
          res.on('end', () =>
            done({ status: res.statusCode ?? null, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', (error) =>
            done({ status: res.statusCode ?? null, body: '', error: error.message }),
          );
        },
      );
      outgoing.setTimeout(30_000, () => outgoing.destroy(new Error('timeout')));
      outgoing.on('error', (error) => done({ status: null, body: '', error: error.message }));
      if (req.body === undefined) outgoing.end();
      else outgoing.end(req.body, req.encoding ?? 'utf8');
    } catch (error) {
      // Node refuses to send it (an illegal header or path): nothing reached the server.
      done({ status: -1, body: '', error: error instanceof Error ? error.message : String(error) });
    }
  });
}

export interface AbuseOptions {
  runs: number;
  seed?: number;
  concurrency?: number;
  /** Instead of the whole fixed corpus (e.g. only its unstorable-text part). */
  corpus?: AbuseRequest[];
}

export interface AbuseResult {
  seed: number;
  requests: number;
  families: number;
  statusCounts: Record<string, number>;
  notSent: number;
  serverErrorCount: number;
  /** Unstorable text that was not refused as validation_failed naming its field (first 50). */
  unnamedFields: { family: string; field: string; status: number; answer: string }[];
  /** The first 50, each with enough of the request to replay it. */
  serverErrors: { family: string; status: number; request: string; answer: string }[];
  connectionErrors: { family: string; error: string; request: string }[];
  healthAfter: { gateway: number; worker: number };
  processesAlive: boolean;
  durationMs: number;
  violations: string[];
}

/** Enough of a request to replay it by hand; card numbers masked, keys left out. */
function describe(req: AbuseRequest): string {
  const headers = Object.entries(req.headers)
    .map(([name, value]) => (name === 'authorization' ? `${name}: …` : `${name}: ${value}`))
    .join('; ');
  const body = req.body ?? '';
  const shown = body.length > 160 ? `${body.slice(0, 160)}… (${body.length} chars)` : body;
  return `${req.method} ${req.path.slice(0, 300)} [${headers}] ${shown}`.replace(
    /\d{13,19}/g,
    maskCardNumber,
  );
}

/** A 400 validation_failed whose issues name `field` (the gateway's error shape). */
function namesField(answer: Answer, field: string): boolean {
  if (answer.status !== 400) return false;
  try {
    const body = JSON.parse(answer.body) as {
      code?: string;
      details?: { issues?: { path?: string }[] };
    };
    return (
      body.code === 'validation_failed' &&
      (body.details?.issues ?? []).some((issue) => issue.path === field)
    );
  } catch {
    return false;
  }
}

/** Bodies this large are refused by the body limit; the server may close before reading them. */
const OVERSIZED = 1_000_000;

/**
 * fast-check generates the requests (reproducible from the seed); all are sent, and every answer
 * must be an answer: no 5xx (but 501 from the token callback), no hang, no dropped connection on
 * a normal-sized request, and both processes still alive and ready afterwards.
 */
export async function runAbuse(
  stack: Stack,
  targets: AbuseTargets,
  options: AbuseOptions,
): Promise<AbuseResult> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const requests = [
    ...(options.corpus ?? corpusRequests(targets)),
    ...fc.sample(abuseRequests(targets), { numRuns: options.runs, seed }),
  ];
  const started = Date.now();
  const result: AbuseResult = {
    seed,
    requests: requests.length,
    families: new Set(requests.map((r) => r.family)).size,
    statusCounts: {},
    notSent: 0,
    serverErrorCount: 0,
    serverErrors: [],
    unnamedFields: [],
    connectionErrors: [],
    healthAfter: { gateway: 0, worker: 0 },
    processesAlive: false,
    durationMs: 0,
    violations: [],
  };
  await inLanes(requests.length, options.concurrency ?? 4, async (i) => {
    const req = requests[i];
    const answer = await send(stack, req);
    const key = answer.status === null ? 'error' : String(answer.status);
    result.statusCounts[key] = (result.statusCounts[key] ?? 0) + 1;
    if (answer.status === -1) result.notSent++;
    else if (answer.status === null) {
      const bodyBytes = Buffer.byteLength(req.body ?? '');
      if (bodyBytes < OVERSIZED || answer.error === 'timeout') {
        result.connectionErrors.push({
          family: req.family,
          error: String(answer.error),
          request: describe(req),
        });
      }
    } else if (req.mustNameField !== undefined && !namesField(answer, req.mustNameField)) {
      result.unnamedFields.push({
        family: req.family,
        field: req.mustNameField,
        status: answer.status,
        answer: answer.body.slice(0, 300),
      });
    }
    if (
      answer.status !== null &&
      answer.status >= 500 &&
      !(req.allowed ?? []).includes(answer.status)
    ) {
      result.serverErrors.push({
        family: req.family,
        status: answer.status,
        request: describe(req),
        answer: answer.body.slice(0, 300),
      });
    }
  });
  result.durationMs = Date.now() - started;
  result.serverErrorCount = result.serverErrors.length;
  const ready = async (url: string) => (await http('GET', url).catch(() => ({ status: 0 }))).status;
  result.healthAfter = {
    gateway: await ready(`${stack.urls.gateway}/health/ready`),
    worker: await ready(`${stack.urls.workerHealth}/health/ready`),
  };
  result.processesAlive = stack.isRunning('gateway') && stack.isRunning('worker');
  const v = result.violations;
  for (const e of result.serverErrors.slice(0, 20)) {
    const code = /"errorId":"([^"]+)"/.exec(e.answer)?.[1];
    v.push(`${e.status} on ${e.family}${code ? ` (errorId ${code} in the gateway log)` : ''}`);
  }
  if (result.serverErrors.length > 20) v.push(`… ${result.serverErrors.length - 20} more 5xx`);
  for (const e of result.unnamedFields.slice(0, 20)) {
    v.push(`${e.status} instead of validation_failed naming ${e.field} on ${e.family}`);
  }
  if (result.unnamedFields.length > 20) {
    v.push(`… ${result.unnamedFields.length - 20} more unstorable texts not named`);
  }
  result.unnamedFields = result.unnamedFields.slice(0, 50);
  for (const e of result.connectionErrors.slice(0, 20)) v.push(`${e.error} on ${e.request}`);
  if (!result.processesAlive) v.push('the gateway or the worker died during the abuse run');
  if (result.healthAfter.gateway !== 200) v.push(`gateway ready: ${result.healthAfter.gateway}`);
  if (result.healthAfter.worker !== 200) v.push(`worker ready: ${result.healthAfter.worker}`);
  result.serverErrors = result.serverErrors.slice(0, 50);
  return result;
}
