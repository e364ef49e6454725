import { PspMetrics } from './psp-metrics';

function setup() {
  const sut = PspMetrics.create({
    prometheus: true,
    otlp: false,
    otlpIntervalMs: 60_000,
    serviceName: 'metrics-spec',
  });
  return { sut };
}

describe('PspMetrics', () => {
  it('serves every recorded fact as Prometheus text with bounded labels', async () => {
    const { sut } = setup();
    sut.callbackReceived('card-data');
    sut.callbackAnswered('card-data', 'accepted', 0.012);
    sut.finalPatchAccepted(true, 0.4);
    sut.deadlineMissed('late_patch');
    sut.acquirerCall('rest-acquirer', 'authorize', 'approved', 0.08);
    sut.webhookFailure('timeout');
    sut.recordQueueStats([
      { queue: 'authorization', counts: { waiting: 3, failed: 1 }, oldestWaitingAgeSeconds: 2.5 },
    ]);
    sut.recordAttemptBacklog({ byStatus: { RECEIVED: 4 }, overdue: 1, reversalsPending: 2 });
    sut.recordOutboxStats({ pending: 5, dead: 1, oldestPendingAgeSeconds: 7.5 });
    sut.webhookAttempt(false);
    sut.httpRequest('GET', '/v1/payments/:id', 200, 0.02);

    const text = (await sut.prometheusText())!;
    expect(text).toMatch(/^psp_callbacks_received_total\{type="card-data"\} 1$/m);
    expect(text).toMatch(
      /^psp_callbacks_answered_total\{type="card-data",outcome="accepted"\} 1$/m,
    );
    expect(text).toMatch(
      /^psp_callback_ack_duration_seconds_bucket\{type="card-data",outcome="accepted",le="0.025"\} 1$/m,
    );
    expect(text).toMatch(
      /^psp_callback_to_patch_duration_seconds_count\{outcome="succeeded"\} 1$/m,
    );
    expect(text).toMatch(/^psp_deadline_misses_total\{kind="late_patch"\} 1$/m);
    expect(text).toMatch(
      /^psp_acquirer_request_duration_seconds_count\{acquirer="rest-acquirer",operation="authorize",outcome="approved"\} 1$/m,
    );
    expect(text).toMatch(/^psp_webhook_failures_total\{cause="timeout",final="false"\} 1$/m);
    expect(text).toMatch(/^psp_queue_jobs\{queue="authorization",state="waiting"\} 3$/m);
    expect(text).toMatch(/^psp_queue_oldest_waiting_age_seconds\{queue="authorization"\} 2.5$/m);
    expect(text).toMatch(/^psp_attempts_unresolved\{status="RECEIVED"\} 4$/m);
    expect(text).toMatch(/^psp_attempts_overdue 1$/m);
    expect(text).toMatch(/^psp_reversals_pending 2$/m);
    expect(text).toMatch(/^psp_outbox_messages\{status="pending"\} 5$/m);
    expect(text).toMatch(/^psp_outbox_messages\{status="dead"\} 1$/m);
    expect(text).toMatch(/^psp_outbox_oldest_pending_age_seconds 7.5$/m);
    expect(text).toMatch(/^psp_webhook_attempts_total\{outcome="failed"\} 1$/m);
    expect(text).toMatch(
      /^http_server_request_duration_seconds_count\{method="GET",route="\/v1\/payments\/:id",status="200"\} 1$/m,
    );
    await sut.onApplicationShutdown();
  });

  it('has every counter at zero, with each of its labels, before the first event', async () => {
    const { sut } = setup();
    const text = (await sut.prometheusText())!;
    expect(text).toMatch(/^psp_callbacks_received_total\{type="token"\} 0$/m);
    expect(text).toMatch(/^psp_callbacks_answered_total\{type="card-data",outcome="error"\} 0$/m);
    expect(text).toMatch(/^psp_callbacks_answered_total\{type="failed",outcome="refused"\} 0$/m);
    for (const kind of ['watchdog_timeout', 'late_patch', 'patch_refused'])
      expect(text).toMatch(new RegExp(`^psp_deadline_misses_total\\{kind="${kind}"\\} 0$`, 'm'));
    expect(text).toMatch(/^psp_webhook_failures_total\{cause="http_5xx",final="true"\} 0$/m);
    expect(text).toMatch(/^psp_webhook_attempts_total\{outcome="delivered"\} 0$/m);
    await sut.onApplicationShutdown();
  });

  it('serves Node runtime metrics: CPU, memory, event loop, GC', async () => {
    const { sut } = setup();
    const text = (await sut.prometheusText())!;
    expect(text).toMatch(/^process_cpu_seconds_total [0-9.e+-]+$/m);
    expect(text).toMatch(/^process_resident_memory_bytes [1-9]\d*$/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes [1-9]\d*$/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds [0-9.e+-]+$/m);
    expect(text).toMatch(/^nodejs_eventloop_utilization_ratio [0-9.e+-]+$/m);
    await sut.onApplicationShutdown();
  });

  it('has no Prometheus text when the endpoint is off, and records into nothing', async () => {
    const sut = PspMetrics.noop();
    sut.callbackReceived('token');
    expect(await sut.prometheusText()).toBeUndefined();
  });
});
