import type { IncomingMessage } from 'node:http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TelemetryConfig } from '@app/config';
import { InternalOnlyPropagator } from './tracing/internal-propagator';
import { RedactingSpanExporter } from './tracing/redacting-span-exporter';

let sdk: NodeSDK | undefined;

/** Probes and scrapes would drown the traces that matter. */
const UNTRACED_PATHS = /^\/(health\/|metrics(\?|$))/;

/**
 * Starts the OpenTelemetry SDK. Must run before NestJS, pg, ioredis or http are loaded, so each
 * main.ts imports its telemetry file first. Off unless OTEL_ENABLED is set; tests pass their own
 * in-memory exporter (exported span by span, not batched).
 */
export function startTelemetry(
  config: TelemetryConfig,
  defaultServiceName: string,
  exporter?: SpanExporter,
): NodeSDK | undefined {
  if (sdk || (!config.enabled && !exporter)) return sdk;
  const target = new RedactingSpanExporter(
    exporter ??
      new OTLPTraceExporter(config.otlpEndpoint ? { url: `${config.otlpEndpoint}/v1/traces` } : {}),
  );
  sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: config.serviceName ?? defaultServiceName,
    }),
    spanProcessors: [exporter ? new SimpleSpanProcessor(target) : new BatchSpanProcessor(target)],
    // Metrics have their own provider (libs/observability/src/metrics), with or without tracing.
    metricReaders: [],
    // Trace context crosses our own queue hops only, never an HTTP call out or in.
    textMapPropagator: new InternalOnlyPropagator(),
    // Client spans only inside a trace: idle polling (BullMQ's blocking reads, the janitor's and
    // the queue gauges' queries, health checks) would otherwise start a root trace per call.
    instrumentations: [
      // No bodies and no headers are recorded (headersToSpanAttributes stays empty); URLs lose
      // their query strings in the exporter.
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req: IncomingMessage) => UNTRACED_PATHS.test(req.url ?? ''),
        requireParentforOutgoingSpans: true,
      }),
      new UndiciInstrumentation({ requireParentforSpans: true }),
      new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true }),
      // The command name only, never its arguments (keys and values may be anything).
      new IORedisInstrumentation({
        dbStatementSerializer: (command) => command,
        requireParentSpan: true,
      }),
    ],
  });
  sdk.start();
  return sdk;
}

export async function stopTelemetry(): Promise<void> {
  await sdk?.shutdown();
  sdk = undefined;
}
