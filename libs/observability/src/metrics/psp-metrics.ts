import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  type Attributes,
  type Counter,
  createNoopMeter,
  type Histogram,
  type Meter,
} from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  MeterProvider,
  type MetricReader,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import {
  CALLBACK_OUTCOMES,
  CALLBACK_TYPES,
  DEADLINE_MISSES,
  WEBHOOK_FAILURE_CAUSES,
  type AcquirerOperation,
  type AttemptBacklog,
  type CallbackOutcome,
  type CallbackType,
  type DeadlineMiss,
  type OutboxStats,
  type QueueStats,
  type WebhookFailureCause,
} from './metric-labels';
import { registerRuntimeMetrics } from './runtime-metrics';

export interface MetricsSettings {
  /** Serve Prometheus text (GET /metrics). */
  prometheus: boolean;
  /** Push to an OTLP/HTTP collector (`<otlpEndpoint>/v1/metrics`). */
  otlp: boolean;
  otlpEndpoint?: string;
  otlpIntervalMs: number;
  serviceName: string;
}

/** Fast answers (the ack) and slow ones (the acquirer, the PATCH deadline), in seconds. */
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const PATCH_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 32, 60];
const ACQUIRER_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The service's own metrics, one typed method per fact. Labels take small closed sets only
 * (types, outcomes, queue names, route patterns): never an id, so the series count stays
 * bounded. Every counter starts with each of its label sets at zero, so `rate()` and
 * `increase()` see the first event and an alert on a counter never waits for it to exist.
 * Node runtime metrics come along whenever something is exported.
 */
@Injectable()
export class PspMetrics implements OnApplicationShutdown {
  private readonly callbacksReceived: Counter;
  private readonly callbacksAnswered: Counter;
  private readonly ackDuration: Histogram;
  private readonly callbackToPatch: Histogram;
  private readonly deadlineMisses: Counter;
  private readonly acquirerDuration: Histogram;
  private readonly webhookFailures: Counter;
  private readonly webhookAttempts: Counter;
  private readonly httpDuration: Histogram;
  private readonly stopRuntime: () => void = () => undefined;
  private queues: readonly QueueStats[] = [];
  private backlog: AttemptBacklog | undefined;
  private outbox: OutboxStats | undefined;

  private constructor(
    meter: Meter,
    private readonly provider?: MeterProvider,
    private readonly prometheus?: PrometheusExporter,
  ) {
    this.callbacksReceived = meter.createCounter('psp_callbacks_received', {
      description: 'MobilePay callbacks received, by callback type',
    });
    this.callbacksAnswered = meter.createCounter('psp_callbacks_answered', {
      description: 'MobilePay callbacks answered, by type and outcome (accepted, refused, …)',
    });
    this.ackDuration = meter.createHistogram('psp_callback_ack_duration_seconds', {
      description: 'Time from a callback arriving to its answer',
      advice: { explicitBucketBoundaries: ACK_BUCKETS },
    });
    this.callbackToPatch = meter.createHistogram('psp_callback_to_patch_duration_seconds', {
      description: 'Time from the card callback to MobilePay accepting the final PATCH',
      advice: { explicitBucketBoundaries: PATCH_BUCKETS },
    });
    this.deadlineMisses = meter.createCounter('psp_deadline_misses', {
      description: 'Attempts that ran out of time, by kind',
    });
    this.acquirerDuration = meter.createHistogram('psp_acquirer_request_duration_seconds', {
      description: 'Acquirer calls by acquirer, operation and outcome (count = outcomes)',
      advice: { explicitBucketBoundaries: ACQUIRER_BUCKETS },
    });
    this.webhookFailures = meter.createCounter('psp_webhook_failures', {
      description: 'Failed merchant webhook deliveries, by cause; final=true once given up',
    });
    this.webhookAttempts = meter.createCounter('psp_webhook_attempts', {
      description: 'Merchant webhook delivery tries, by outcome (delivered, failed)',
    });
    this.httpDuration = meter.createHistogram('http_server_request_duration_seconds', {
      description: 'HTTP requests served, by method, route pattern and status code',
      advice: { explicitBucketBoundaries: HTTP_BUCKETS },
    });
    for (const type of CALLBACK_TYPES) {
      this.callbacksReceived.add(0, { type });
      for (const outcome of CALLBACK_OUTCOMES) this.callbacksAnswered.add(0, { type, outcome });
    }
    for (const kind of DEADLINE_MISSES) this.deadlineMisses.add(0, { kind });
    for (const cause of WEBHOOK_FAILURE_CAUSES) {
      for (const final of ['false', 'true']) this.webhookFailures.add(0, { cause, final });
    }
    for (const outcome of ['delivered', 'failed']) this.webhookAttempts.add(0, { outcome });
    meter
      .createObservableGauge('psp_queue_jobs', { description: 'Jobs per queue and state' })
      .addCallback((result) => {
        for (const stats of this.queues) {
          for (const [state, count] of Object.entries(stats.counts)) {
            result.observe(count, { queue: stats.queue, state });
          }
        }
      });
    meter
      .createObservableGauge('psp_queue_oldest_waiting_age_seconds', {
        description: 'Age of the oldest job waiting to be processed (0 when none waits)',
      })
      .addCallback((result) => {
        for (const stats of this.queues) {
          result.observe(stats.oldestWaitingAgeSeconds, { queue: stats.queue });
        }
      });
    meter
      .createObservableGauge('psp_attempts_unresolved', {
        description: 'Authorization attempts without a final PATCH yet, by status',
      })
      .addCallback((result) => {
        for (const [status, count] of Object.entries(this.backlog?.byStatus ?? {})) {
          result.observe(count, { status });
        }
      });
    meter
      .createObservableGauge('psp_attempts_overdue', {
        description: 'Unresolved attempts past their PATCH deadline',
      })
      .addCallback((result) => {
        if (this.backlog) result.observe(this.backlog.overdue);
      });
    meter
      .createObservableGauge('psp_reversals_pending', {
        description: 'Authorizations that must be voided at the acquirer and are not yet',
      })
      .addCallback((result) => {
        if (this.backlog) result.observe(this.backlog.reversalsPending);
      });
    meter
      .createObservableGauge('psp_outbox_messages', {
        description: 'Reports to MobilePay by state: pending (owed), dead (given up)',
      })
      .addCallback((result) => {
        if (!this.outbox) return;
        result.observe(this.outbox.pending, { status: 'pending' });
        result.observe(this.outbox.dead, { status: 'dead' });
      });
    meter
      .createObservableGauge('psp_outbox_oldest_pending_age_seconds', {
        description: 'Age of the oldest report still owed to MobilePay (0 when none is)',
      })
      .addCallback((result) => {
        if (this.outbox) result.observe(this.outbox.oldestPendingAgeSeconds);
      });
    if (provider) this.stopRuntime = registerRuntimeMetrics(meter);
  }

  static create(settings: MetricsSettings): PspMetrics {
    if (!settings.prometheus && !settings.otlp) return PspMetrics.noop();
    const readers: MetricReader[] = [];
    const prometheus = settings.prometheus
      ? new PrometheusExporter({ preventServerStart: true })
      : undefined;
    if (prometheus) readers.push(prometheus);
    if (settings.otlp) {
      readers.push(
        new PeriodicExportingMetricReader({
          exporter: new OTLPMetricExporter(
            settings.otlpEndpoint ? { url: `${settings.otlpEndpoint}/v1/metrics` } : {},
          ),
          exportIntervalMillis: settings.otlpIntervalMs,
        }),
      );
    }
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName }),
      readers,
    });
    return new PspMetrics(provider.getMeter('psp'), provider, prometheus);
  }

  /** Records nothing: for tests, and when every export is switched off. */
  static noop(): PspMetrics {
    return new PspMetrics(createNoopMeter());
  }

  /** A callback arrived (counted before it is parsed, so refused ones count too). */
  callbackReceived(type: CallbackType): void {
    this.callbacksReceived.add(1, { type });
  }

  callbackAnswered(type: CallbackType, outcome: CallbackOutcome, seconds: number): void {
    const labels: Attributes = { type, outcome };
    this.callbacksAnswered.add(1, labels);
    this.ackDuration.record(seconds, labels);
  }

  /** MobilePay accepted the final PATCH of an attempt: now − callbackReceivedAt. */
  finalPatchAccepted(succeeded: boolean, seconds: number): void {
    this.callbackToPatch.record(seconds, { outcome: succeeded ? 'succeeded' : 'failed' });
  }

  deadlineMissed(kind: DeadlineMiss): void {
    this.deadlineMisses.add(1, { kind });
  }

  acquirerCall(acquirer: string, operation: AcquirerOperation, outcome: string, seconds: number) {
    this.acquirerDuration.record(seconds, { acquirer, operation, outcome });
  }

  /** For the merchant webhook sender: one failed delivery try; `final` once it gives up. */
  webhookFailure(cause: WebhookFailureCause, final = false): void {
    this.webhookFailures.add(1, { cause, final: String(final) });
  }

  /** One delivery try of a merchant webhook, whatever its outcome (the failure rate's base). */
  webhookAttempt(delivered: boolean): void {
    this.webhookAttempts.add(1, { outcome: delivered ? 'delivered' : 'failed' });
  }

  /** `route`: the route pattern (`/v1/payments/:id`), or a fixed word for unmatched paths. */
  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.record(seconds, { method, route, status: String(status) });
  }

  /** Latest queue snapshot, reported on the next collection. */
  recordQueueStats(stats: readonly QueueStats[]): void {
    this.queues = stats;
  }

  recordAttemptBacklog(backlog: AttemptBacklog): void {
    this.backlog = backlog;
  }

  recordOutboxStats(outbox: OutboxStats): void {
    this.outbox = outbox;
  }

  /** Prometheus text exposition, or undefined when the Prometheus endpoint is off. */
  async prometheusText(): Promise<string | undefined> {
    if (!this.prometheus) return undefined;
    const { resourceMetrics } = await this.prometheus.collect();
    return new PrometheusSerializer(undefined, false, undefined, true, true).serialize(
      resourceMetrics,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopRuntime();
    await this.provider?.shutdown().catch(() => undefined);
  }
}
