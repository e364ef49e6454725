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
    sut.recordAttemptBacklog({ byStatus: { RECEIVED: 4 }, overdue: 1 });

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
    await sut.onApplicationShutdown();
  });

  it('has no Prometheus text when the endpoint is off, and records into nothing', async () => {
    const sut = PspMetrics.noop();
    sut.callbackReceived('token');
    expect(await sut.prometheusText()).toBeUndefined();
  });
});
