import {
  type Attributes,
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { endOfInternalHop, internalHop } from './internal-propagator';

/** W3C trace context (`traceparent`, `tracestate`) as carried in a job's data. Ids only. */
export type TraceCarrier = Record<string, string>;

const tracer = () => trace.getTracer('psp');

/**
 * The active trace context as a carrier for job data, or undefined when there is nothing to
 * carry (telemetry off, or no active span).
 */
export function currentTraceCarrier(): TraceCarrier | undefined {
  const carrier: TraceCarrier = {};
  propagation.inject(internalHop(context.active()), carrier);
  return Object.keys(carrier).length > 0 ? carrier : undefined;
}

/** The parent context a job's span continues: the producer's, when its data carries one. */
export function contextFromCarrier(carrier: unknown): Context {
  if (!carrier || typeof carrier !== 'object') return ROOT_CONTEXT;
  const entries = Object.entries(carrier as Record<string, unknown>).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  return endOfInternalHop(
    propagation.extract(internalHop(ROOT_CONTEXT), Object.fromEntries(entries)),
  );
}

export interface TracedJob {
  id?: string;
  name: string;
  queueName: string;
  attemptsMade: number;
  data: unknown;
}

/**
 * Runs a queue job's handler inside a consumer span whose parent is the context the producer put
 * into the job (`traceContext`), so one trace runs from the callback to the final PATCH.
 */
export function runJobInSpan<T>(
  job: TracedJob,
  attributes: Attributes,
  handler: () => Promise<T>,
): Promise<T> {
  const parent = contextFromCarrier((job.data as { traceContext?: unknown }).traceContext);
  return tracer().startActiveSpan(
    job.name,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'bullmq',
        'messaging.destination.name': job.queueName,
        'messaging.operation.type': 'process',
        ...(job.id ? { 'messaging.message.id': job.id } : {}),
        'psp.job.attempt': job.attemptsMade + 1,
        ...attributes,
      },
    },
    parent,
    (span) => endWith(span, handler),
  );
}

/** A child span around one step (an acquirer call, a PATCH); `describe` adds outcome attributes. */
export function runInSpan<T>(
  name: string,
  attributes: Attributes,
  handler: () => Promise<T>,
  describe?: (result: T) => Attributes,
): Promise<T> {
  return tracer().startActiveSpan(name, { kind: SpanKind.INTERNAL, attributes }, (span) =>
    endWith(span, handler, describe),
  );
}

async function endWith<T>(
  span: Span,
  handler: () => Promise<T>,
  describe?: (result: T) => Attributes,
): Promise<T> {
  try {
    const result = await handler();
    if (describe) span.setAttributes(describe(result));
    return result;
  } catch (error) {
    // The type only: messages of lower layers may quote what they were given.
    const type = error instanceof Error ? error.constructor.name || error.name : 'Error';
    span.setStatus({ code: SpanStatusCode.ERROR, message: type });
    span.setAttribute('error.type', type);
    throw error;
  } finally {
    span.end();
  }
}
