import { type Span, trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CallbackOutcome, CallbackType, PspMetrics } from '@app/observability';
import type { AckLatencyWindow } from './ack-latency-window';

const CALLBACK_PATH = /^\/callbacks\/mobilepay\/([a-z-]+)\/?(?:\?.*)?$/;
const TYPES = new Set<CallbackType>(['card-data', 'token', 'checkout', 'failed']);
const ACKS = new Set<CallbackOutcome>([
  'accepted',
  'duplicate',
  'rejected',
  'stored',
  'expired',
  'unchanged',
]);
const UUID = /^[0-9a-f-]{36}$/i;

/**
 * Counts and times every MobilePay callback at the HTTP edge — including those refused before a
 * controller runs (sender checks, bad JSON, draining) — and names the HTTP server span after the
 * callback, with the payment and attempt ids. Registered before the routes exist.
 */
export function observeCallbacks(
  fastify: FastifyInstance,
  metrics: PspMetrics,
  ackLatencies?: AckLatencyWindow,
): void {
  const spans = new WeakMap<FastifyRequest, Span>();
  fastify.addHook('onRequest', (request, _reply, done) => {
    const type = callbackTypeOf(request.url);
    if (type) {
      metrics.callbackReceived(type);
      const span = trace.getActiveSpan();
      if (span) {
        const route = `/callbacks/mobilepay/${type}`;
        span.updateName(`${request.method} ${route}`);
        span.setAttributes({ 'http.route': route, 'psp.callback.type': type });
        spans.set(request, span);
      }
    }
    done();
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const type = callbackTypeOf(request.url);
    if (type) {
      const outcome = outcomeOf(reply.statusCode, payload);
      metrics.callbackAnswered(type, outcome, reply.elapsedTime / 1000);
      if (type === 'card-data' || type === 'token') ackLatencies?.record(reply.elapsedTime);
      spans.get(request)?.setAttributes({
        'psp.callback.outcome': outcome,
        ...idsOf(request.body),
      });
    }
    done(null, payload);
  });
}

export function callbackTypeOf(url: string): CallbackType | undefined {
  const match = CALLBACK_PATH.exec(url);
  if (!match) return undefined;
  return TYPES.has(match[1] as CallbackType) ? (match[1] as CallbackType) : 'other';
}

export function outcomeOf(status: number, payload: unknown): CallbackOutcome {
  if (status === 501) return 'failover';
  if (status === 503) return 'unavailable';
  if (status >= 500) return 'error';
  if (status >= 400) return 'refused';
  if (typeof payload === 'string' && payload.length < 512) {
    try {
      const answer = (JSON.parse(payload) as { status?: unknown }).status;
      if (ACKS.has(answer as CallbackOutcome)) return answer as CallbackOutcome;
    } catch {
      // not JSON: a plain ack
    }
  }
  return 'ok';
}

/** The ids only: the rest of a callback body (card data, tokens) never reaches a span. */
function idsOf(body: unknown): Record<string, string> {
  if (!body || typeof body !== 'object') return {};
  const fields = body as Record<string, unknown>;
  const attempt = fields.AuthorizationAttemptId ?? fields.authorizationAttemptId;
  const payment = fields.PaymentId ?? fields.paymentId;
  return {
    ...(typeof attempt === 'string' && UUID.test(attempt) ? { 'psp.attempt.id': attempt } : {}),
    ...(typeof payment === 'string' && UUID.test(payment)
      ? { 'psp.mobilepay.payment_id': payment }
      : {}),
  };
}
