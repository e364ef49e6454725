import { randomUUID } from 'node:crypto';
import { http } from '../../scripts/stack/http';
import { createPayment, onboardMerchant, type DemoMerchant } from '../../scripts/stack/scenario';
import type { Stack } from '../../scripts/stack/stack';
import { query, startTestStack } from '../support/e2e-stack';
import { eventually } from '../support/eventually';
import { api, authorizedPayment, getPayment, post, type ApiError } from '../support/merchant-api';
import { WebhookReceiver } from '../support/webhook-receiver';

jest.setTimeout(180_000);

interface OperationBody {
  id: string;
  paymentId: string;
  kind: string;
  amount: number;
  status: string;
}

interface SandboxPayment {
  payment: {
    capturedAmount: number;
    refundedAmount: number;
    cancelledAmount: number;
    captures: { identifier: string; amount: number }[];
    cancels: { identifier: string; amount: number }[];
    refunds: { identifier: string; amount: number }[];
  };
}

interface DeliveryBody {
  id: string;
  eventId: string;
  status: string;
  manual: boolean;
  attempts: number;
  log: { attempt: number; statusCode: number | null; latencyMs: number; error: string | null }[];
}

describe('captures, cancels, refunds, MobilePay reports and merchant webhooks', () => {
  let stack: Stack;
  let merchant: DemoMerchant;
  let other: DemoMerchant;
  const receiver = new WebhookReceiver();

  const operate = (paymentId: string, kind: string, body: unknown = {}, key = merchant.apiKey) =>
    api<OperationBody & ApiError>(stack, key, 'POST', `/v1/payments/${paymentId}/${kind}`, body);
  const sandboxPayment = async (mobilePayPaymentId: string) =>
    (
      await http<SandboxPayment>(
        'GET',
        `${stack.urls.sandbox}/sandbox/v1/payments/${mobilePayPaymentId}`,
      )
    ).body;

  beforeAll(async () => {
    await receiver.start();
    const fastRetries = {
      WEBHOOK_RETRY_BASE_MS: '200',
      WEBHOOK_RETRY_MAX_DELAY_MS: '1000',
      WEBHOOK_DISPATCH_INTERVAL_MS: '200',
    };
    stack = await startTestStack({ worker: fastRetries, gateway: fastRetries });
    [merchant, other] = [await onboardMerchant(stack), await onboardMerchant(stack)];
    const endpoint = await api<{ id: string; secret: string; url: string }>(
      stack,
      merchant.apiKey,
      'POST',
      '/v1/webhook-endpoints',
      { url: receiver.url },
    );
    expect(endpoint).toMatchObject({ status: 201, body: { url: receiver.url } });
    expect(endpoint.body.secret).toMatch(/^whsec_/);
    receiver.secret = endpoint.body.secret;
    // At rest the signing secret is sealed; the worker still signs with it (signatureValid below).
    const [stored] = await query<{ secret: string }>(
      'SELECT secret FROM "WebhookEndpoint" WHERE id = $1',
      [endpoint.body.id],
    );
    expect(stored.secret).toMatch(/^sb1\./);
    expect(stored.secret).not.toContain(endpoint.body.secret.slice('whsec_'.length));
  });

  afterAll(async () => {
    await stack?.close();
    await receiver.stop();
  });

  it('captures partly and several times, refunds partly, cancels the rest — acquirer first, then MobilePay', async () => {
    const payment = await authorizedPayment(stack, merchant, 10_000);

    const first = await operate(payment.id, 'captures', { amount: 3_000 });
    expect(first).toMatchObject({
      status: 201,
      body: { kind: 'capture', amount: 3_000, status: 'succeeded' },
    });
    const tooMuch = await operate(payment.id, 'captures', { amount: 8_000 });
    expect(tooMuch).toMatchObject({
      status: 422,
      body: { code: 'amount_exceeds_available', details: { available: 7_000 } },
    });
    expect((await operate(payment.id, 'captures', { amount: 2_000 })).status).toBe(201);
    expect(await operate(payment.id, 'refunds', { amount: 6_000 })).toMatchObject({
      status: 422,
      body: { code: 'amount_exceeds_available', details: { available: 5_000 } },
    });
    const refund = await operate(payment.id, 'refunds', { amount: 2_000 });
    expect(refund).toMatchObject({ status: 201, body: { kind: 'refund', amount: 2_000 } });
    const cancel = await operate(payment.id, 'cancels');
    expect(cancel).toMatchObject({ status: 201, body: { kind: 'cancel', amount: 5_000 } });
    expect(await operate(payment.id, 'captures', { amount: 1 })).toMatchObject({
      status: 422,
      body: { code: 'amount_exceeds_available' },
    });
    expect(await operate(payment.id, 'cancels')).toMatchObject({
      status: 422,
      body: { code: 'amount_exceeds_available' },
    });

    const view = await getPayment(stack, merchant, payment.id);
    expect(view).toMatchObject({
      status: 'AUTHORIZED',
      authorizedAmount: 10_000,
      capturedAmount: 5_000,
      refundedAmount: 2_000,
      cancelledAmount: 5_000,
    });
    expect(view.operations.map((o) => [o.kind, o.amount, o.status])).toEqual([
      ['capture', 3_000, 'succeeded'],
      ['capture', 2_000, 'succeeded'],
      ['refund', 2_000, 'succeeded'],
      ['cancel', 5_000, 'succeeded'],
    ]);
    expect(view.attempts[0].maskedCardNumber).toMatch(/^\d{6}\*+\d{4}$/);

    // The acquirer acted on the authorization (the attempt) …
    const acquirer = await http<{ totals: Record<string, number> }>(
      'GET',
      `${stack.urls.sandbox}/acquirer/v1/authorizations/${payment.attemptId}/operations`,
    );
    expect(acquirer.body.totals).toEqual({ captured: 5_000, refunded: 2_000, cancelled: 5_000 });
    // … and every operation reached MobilePay through the outbox, with its id as identifier.
    const reported = await eventually(
      () => sandboxPayment(payment.mobilePayPaymentId),
      (p) => p.payment.cancelledAmount === 5_000 && p.payment.refundedAmount === 2_000,
      20_000,
    );
    expect(reported.payment).toMatchObject({
      capturedAmount: 5_000,
      refundedAmount: 2_000,
      cancelledAmount: 5_000,
    });
    expect(reported.payment.captures.map((c) => c.identifier).sort()).toEqual(
      [first.body.id, view.operations[1].id].sort(),
    );
    expect(reported.payment.refunds).toEqual([
      expect.objectContaining({ identifier: refund.body.id, amount: 2_000 }),
    ]);
    // MobilePay records a report before it answers; the row turns SENT once the answer is back.
    const outbox = await eventually(
      () =>
        query<{ status: string }>(
          'SELECT status FROM "OutboxMessage" WHERE "paymentId" = $1 AND kind <> \'PATCH_AUTHORIZATION_ATTEMPT\'',
          [payment.id],
        ),
      (rows) => rows.length === 4 && rows.every((row) => row.status === 'SENT'),
    );
    expect(outbox.map((row) => row.status)).toEqual(['SENT', 'SENT', 'SENT', 'SENT']);
  });

  it('cancels an uncaptured payment whole: CANCELLED', async () => {
    const payment = await authorizedPayment(stack, merchant, 2_500);
    expect(await operate(payment.id, 'cancels', {})).toMatchObject({
      status: 201,
      body: { amount: 2_500 },
    });
    expect(await getPayment(stack, merchant, payment.id)).toMatchObject({
      status: 'CANCELLED',
      cancelledAmount: 2_500,
    });
    expect(await operate(payment.id, 'refunds', { amount: 1 })).toMatchObject({
      status: 409,
      body: { code: 'invalid_payment_state' },
    });
  });

  it('lets exactly 3 of 10 concurrent 30 % refunds through, at the acquirer and at MobilePay', async () => {
    const payment = await authorizedPayment(stack, merchant, 10_000);
    expect((await operate(payment.id, 'captures')).body).toMatchObject({ amount: 10_000 });

    const answers = await Promise.all(
      Array.from({ length: 10 }, () => operate(payment.id, 'refunds', { amount: 3_000 })),
    );
    expect(answers.filter((r) => r.status === 201)).toHaveLength(3);
    const refused = answers.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(7);
    for (const r of refused) expect(r.body.code).toBe('amount_exceeds_available');

    expect(await getPayment(stack, merchant, payment.id)).toMatchObject({
      capturedAmount: 10_000,
      refundedAmount: 9_000,
    });
    const acquirer = await http<{ totals: Record<string, number> }>(
      'GET',
      `${stack.urls.sandbox}/acquirer/v1/authorizations/${payment.attemptId}/operations`,
    );
    expect(acquirer.body.totals.refunded).toBe(9_000);
    const reported = await eventually(
      () => sandboxPayment(payment.mobilePayPaymentId),
      (p) => p.payment.refunds.length === 3,
      20_000,
    );
    expect(reported.payment.refundedAmount).toBe(9_000);
  });

  it('releases the reservation when the acquirer declines', async () => {
    const payment = await authorizedPayment(stack, merchant, 5_000);
    // The sandbox acquirer declines amounts ending in 51.
    const declined = await operate(payment.id, 'captures', { amount: 1_051 });
    expect(declined).toMatchObject({ status: 402, body: { code: 'acquirer_declined' } });
    const view = await getPayment(stack, merchant, payment.id);
    expect(view).toMatchObject({ capturedAmount: 0 });
    expect(view.operations).toEqual([
      expect.objectContaining({ kind: 'capture', amount: 1_051, status: 'failed' }),
    ]);
    expect((await operate(payment.id, 'captures', { amount: 5_000 })).status).toBe(201);
  });

  it('replays a capture under the same Idempotency-Key, and refuses it with another amount', async () => {
    const payment = await authorizedPayment(stack, merchant, 4_000);
    const key = randomUUID();
    const path = `/v1/payments/${payment.id}/captures`;
    const first = await post(stack, merchant.apiKey, path, { amount: 1_000 }, key);
    const again = await post(stack, merchant.apiKey, path, { amount: 1_000 }, key);
    expect(first.status).toBe(201);
    expect(again).toMatchObject({ status: 201, replayed: true, body: { id: first.body.id } });
    expect(await post(stack, merchant.apiKey, path, { amount: 2_000 }, key)).toMatchObject({
      status: 422,
      body: { code: 'idempotency_key_reused' },
    });
    expect((await getPayment(stack, merchant, payment.id)).capturedAmount).toBe(1_000);
  });

  it('refuses operations that cannot be: invalid bodies, unauthorized payments, other merchants', async () => {
    const initiated = await createPayment(stack, merchant);
    expect(await operate(initiated.id, 'captures', { amount: 100 })).toMatchObject({
      status: 409,
      body: { code: 'invalid_payment_state' },
    });
    for (const [kind, body] of [
      ['captures', { amount: -5 }],
      ['captures', { amount: 1.5 }],
      ['refunds', { amount: '100' }],
      ['cancels', { amount: 100 }],
      ['captures', { amount: 100, extra: true }],
    ] as const) {
      expect(await operate(initiated.id, kind, body)).toMatchObject({
        status: 400,
        body: { code: 'validation_failed' },
      });
    }
    expect(await operate(randomUUID(), 'captures', { amount: 1 })).toMatchObject({
      status: 404,
      body: { code: 'not_found' },
    });
    const payment = await authorizedPayment(stack, merchant, 1_000);
    expect(await operate(payment.id, 'captures', { amount: 1 }, other.apiKey)).toMatchObject({
      status: 404,
    });
    expect((await getPayment(stack, merchant, payment.id)).capturedAmount).toBe(0);
  });

  it('never loses the MobilePay report when the worker is down between acquirer and report', async () => {
    const payment = await authorizedPayment(stack, merchant, 2_000);
    await stack.kill('worker');
    try {
      expect((await operate(payment.id, 'captures', { amount: 2_000 })).status).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect((await sandboxPayment(payment.mobilePayPaymentId)).payment.captures).toEqual([]);
    } finally {
      await stack.start('worker');
    }
    const reported = await eventually(
      () => sandboxPayment(payment.mobilePayPaymentId),
      (p) => p.payment.captures.length === 1,
      20_000,
    );
    expect(reported.payment.capturedAmount).toBe(2_000);
  });

  it('keeps an operation with an unknown acquirer outcome pending, and resumes it on retry', async () => {
    const payment = await authorizedPayment(stack, merchant, 3_000);
    const key = randomUUID();
    const path = `/v1/payments/${payment.id}/captures`;
    await http('POST', `${stack.urls.sandbox}/acquirer/v1/_behaviour`, { failNext: 1 });
    const unknown = await post(stack, merchant.apiKey, path, { amount: 3_000 }, key);
    expect(unknown).toMatchObject({ status: 502, body: { code: 'acquirer_unavailable' } });
    expect((await getPayment(stack, merchant, payment.id)).operations).toEqual([
      expect.objectContaining({ status: 'pending', amount: 3_000 }),
    ]);
    // The amount stays reserved meanwhile: nothing else can capture it.
    expect(await operate(payment.id, 'captures', { amount: 1 })).toMatchObject({ status: 422 });
    const resumed = await post(stack, merchant.apiKey, path, { amount: 3_000 }, key);
    expect(resumed).toMatchObject({ status: 201, body: { status: 'succeeded', amount: 3_000 } });
    expect(resumed.body.id).toBe((unknown.body.details as { operationId: string }).operationId);
    const view = await getPayment(stack, merchant, payment.id);
    expect(view.operations).toHaveLength(1);
    expect(view.capturedAmount).toBe(3_000);
  });

  describe('webhooks', () => {
    it('an endpoint whose secret is stored in clear (from before sealing) is signed for and sealed on the way', async () => {
      const legacy = new WebhookReceiver();
      await legacy.start();
      try {
        legacy.secret = `whsec_${randomUUID().replaceAll('-', '')}`;
        const endpointId = randomUUID();
        await query(
          `INSERT INTO "WebhookEndpoint" (id, "merchantId", url, secret) VALUES ($1, $2, $3, $4)`,
          [endpointId, other.id, legacy.url, legacy.secret],
        );
        const payment = await authorizedPayment(stack, other, 1_500);
        const got = await eventually(
          () => Promise.resolve(legacy.ofType('payment.authorized', payment.id)),
          (r) => r.length > 0,
          20_000,
        );
        expect(got[0].signatureValid).toBe(true);
        const [stored] = await query<{ secret: string }>(
          'SELECT secret FROM "WebhookEndpoint" WHERE id = $1',
          [endpointId],
        );
        expect(stored.secret).toMatch(/^sb1\./);
      } finally {
        await legacy.stop();
      }
    });

    it('delivers signed events with unique ids: authorized, captured, refunded', async () => {
      const payment = await authorizedPayment(stack, merchant, 3_000);
      await operate(payment.id, 'captures', { amount: 3_000 });
      await operate(payment.id, 'refunds', { amount: 1_000 });
      const types = ['payment.authorized', 'payment.captured', 'payment.refunded'];
      await eventually(
        () => Promise.resolve(types.every((t) => receiver.ofType(t, payment.id).length > 0)),
        (done) => done,
        20_000,
      );
      const got = receiver.received.filter((r) => r.body.paymentId === payment.id);
      expect(types.every((t) => got.some((r) => r.type === t))).toBe(true);
      expect(got.every((r) => r.signatureValid)).toBe(true);
      expect(got.every((r) => r.body.channel === 'online')).toBe(true);
      expect(new Set(got.map((r) => r.eventId)).size).toBe(got.length);
      expect(receiver.ofType('payment.captured', payment.id)[0].body.data).toMatchObject({
        amount: 3_000,
        capturedAmount: 3_000,
      });
      // A wrong secret would not verify: the check can fail.
      const sample = got[0];
      expect(receiver.verify('t=1,v1=00', JSON.stringify(sample.body))).toBe(false);

      const events = await api<{ data: { id: string; type: string }[] }>(
        stack,
        merchant.apiKey,
        'GET',
        `/v1/events?paymentId=${payment.id}`,
      );
      expect(events.body.data.map((e) => e.type).sort()).toEqual([...types].sort());
    });

    it('tells the merchant about a declined card (payment.failed)', async () => {
      const payment = await createPayment(stack, merchant, { allowedCardTypes: ['VISA-CREDIT'] });
      await http(
        'POST',
        `${stack.urls.sandbox}/sandbox/v1/payments/${payment.mobilePayPaymentId}/swipe`,
        {
          cardNumber: '4000000000000002',
          cardType: 'VISA-CREDIT',
        },
      );
      const [failed] = await eventually(
        () => Promise.resolve(receiver.ofType('payment.failed', payment.id)),
        (r) => r.length > 0,
        20_000,
      );
      expect(failed).toMatchObject({ signatureValid: true });
      expect(failed.body.data).toMatchObject({
        reasonCode: 1000,
        maskedCardNumber: expect.any(String),
      });
    });

    it('retries with backoff until the endpoint accepts, logging every attempt', async () => {
      receiver.failNextRequests(2);
      const payment = await authorizedPayment(stack, merchant, 1_500);
      const delivered = await eventually(
        () => Promise.resolve(receiver.ofType('payment.authorized', payment.id)),
        (r) => r.some((w) => w.status === 200),
        30_000,
      );
      const eventId = delivered[0].eventId;
      expect(delivered.map((w) => [w.attempt, w.status])).toEqual([
        [1, 500],
        [2, 500],
        [3, 200],
      ]);
      const log = await eventually(
        () =>
          api<{ data: DeliveryBody[] }>(
            stack,
            merchant.apiKey,
            'GET',
            `/v1/webhook-deliveries?eventId=${eventId}`,
          ),
        (r) => r.body.data[0]?.status === 'succeeded',
      );
      expect(log.body.data).toHaveLength(1);
      expect(log.body.data[0]).toMatchObject({ status: 'succeeded', attempts: 3, manual: false });
      expect(log.body.data[0].log.map((l) => l.statusCode)).toEqual([500, 500, 200]);
      expect(log.body.data[0].log[0]).toMatchObject({
        error: 'endpoint answered 500',
        latencyMs: expect.any(Number),
      });
    });

    it('redelivers an event on request, and only to its own merchant', async () => {
      const payment = await authorizedPayment(stack, merchant, 1_200);
      const [first] = await eventually(
        () => Promise.resolve(receiver.ofType('payment.authorized', payment.id)),
        (r) => r.length > 0,
        20_000,
      );
      const redelivered = await api<{ data: DeliveryBody[] }>(
        stack,
        merchant.apiKey,
        'POST',
        `/v1/events/${first.eventId}/redeliver`,
      );
      expect(redelivered).toMatchObject({ status: 202 });
      expect(redelivered.body.data).toEqual([
        expect.objectContaining({ eventId: first.eventId, manual: true }),
      ]);
      const again = await eventually(
        () => Promise.resolve(receiver.received.filter((r) => r.eventId === first.eventId)),
        (r) => r.length >= 2,
        20_000,
      );
      expect(again[1]).toMatchObject({ eventId: first.eventId, signatureValid: true });
      expect(again[1].deliveryId).not.toBe(again[0].deliveryId);

      expect(
        await api(stack, other.apiKey, 'POST', `/v1/events/${first.eventId}/redeliver`),
      ).toMatchObject({ status: 404, body: { code: 'not_found' } });
      expect(await api(stack, other.apiKey, 'GET', `/v1/events/${first.eventId}`)).toMatchObject({
        status: 404,
      });
      const theirs = await api<{ data: unknown[] }>(
        stack,
        other.apiKey,
        'GET',
        `/v1/webhook-deliveries?eventId=${first.eventId}`,
      );
      expect(theirs.body.data).toEqual([]);
    });

    it('manages endpoints: list without secrets, https only, delete', async () => {
      const m = await onboardMerchant(stack);
      const created = await api<{ id: string; secret: string }>(
        stack,
        m.apiKey,
        'POST',
        '/v1/webhook-endpoints',
        { url: 'https://hooks.example.dk/mobilepay' },
      );
      expect(created.status).toBe(201);
      const list = await api<{ data: { id: string }[] }>(
        stack,
        m.apiKey,
        'GET',
        '/v1/webhook-endpoints',
      );
      expect(list.body.data.map((e) => e.id)).toEqual([created.body.id]);
      expect(JSON.stringify(list.body)).not.toContain(created.body.secret);
      for (const url of ['http://hooks.example.dk/x', 'ftp://127.0.0.1/x', 'not a url']) {
        expect(await api(stack, m.apiKey, 'POST', '/v1/webhook-endpoints', { url })).toMatchObject({
          status: 400,
          body: { code: 'validation_failed' },
        });
      }
      expect(
        (await api(stack, m.apiKey, 'DELETE', `/v1/webhook-endpoints/${created.body.id}`)).status,
      ).toBe(204);
      expect(
        (await api(stack, m.apiKey, 'GET', `/v1/webhook-endpoints/${created.body.id}`)).status,
      ).toBe(404);
    });

    it('sends only the event types an endpoint chose, and rotates its secret with an overlap', async () => {
      interface EndpointBody {
        id: string;
        secret: string;
        eventTypes: string[] | null;
        previousSecretExpiresAt: string | null;
      }
      const m = await onboardMerchant(stack);
      const hooks = new WebhookReceiver();
      await hooks.start();
      try {
        const created = await api<EndpointBody>(stack, m.apiKey, 'POST', '/v1/webhook-endpoints', {
          url: hooks.url,
          eventTypes: ['payment.authorized', 'payment.captured'],
        });
        expect(created).toMatchObject({
          status: 201,
          body: {
            eventTypes: ['payment.authorized', 'payment.captured'],
            previousSecretExpiresAt: null,
          },
        });
        const endpointPath = `/v1/webhook-endpoints/${created.body.id}`;
        const first = created.body.secret;
        hooks.secret = first;
        const arrived = (type: string, paymentId: string) =>
          eventually(
            () => Promise.resolve(hooks.ofType(type, paymentId)),
            (r) => r.length > 0,
            20_000,
          ).then((r) => r[0]);

        const payment = await authorizedPayment(stack, m, 2_000);
        const authorized = await arrived('payment.authorized', payment.id);
        expect(authorized.signatureValid).toBe(true);
        expect(authorized.headers['webhook-id']).toBe(authorized.eventId);
        expect(String(authorized.headers['webhook-signature']).split(' ')).toHaveLength(1);

        // Rotation with a one-hour overlap: the new secret once; both sign meanwhile.
        const rotated = await api<EndpointBody>(
          stack,
          m.apiKey,
          'POST',
          `${endpointPath}/rotate-secret`,
          { overlapSeconds: 3_600 },
        );
        expect(rotated).toMatchObject({ status: 200, body: { id: created.body.id } });
        const second = rotated.body.secret;
        expect(second).toMatch(/^whsec_/);
        expect(second).not.toBe(first);
        const overlapEnds = Date.parse(String(rotated.body.previousSecretExpiresAt));
        expect(Math.abs(overlapEnds - (Date.now() + 3_600_000))).toBeLessThan(60_000);
        const shown = await api<EndpointBody>(stack, m.apiKey, 'GET', endpointPath);
        expect(shown.body).toMatchObject({ previousSecretExpiresAt: expect.any(String) });
        expect(JSON.stringify(shown.body)).not.toContain(second);
        const [stored] = await query<{ secret: string; previousSecret: string }>(
          'SELECT secret, "previousSecret" FROM "WebhookEndpoint" WHERE id = $1',
          [created.body.id],
        );
        expect(stored.secret).toMatch(/^sb1\./);
        expect(stored.previousSecret).toMatch(/^sb1\./);

        await operate(payment.id, 'captures', { amount: 2_000 }, m.apiKey);
        const captured = await arrived('payment.captured', payment.id);
        expect(String(captured.headers['webhook-signature']).split(' ')).toHaveLength(2);
        for (const secret of [first, second]) {
          expect(hooks.verifiesStandard(secret, captured.raw, captured.headers)).toBe(true);
          expect(
            hooks.verify(String(captured.headers['mobilepay-psp-signature']), captured.raw, secret),
          ).toBe(true);
        }
        const stranger = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
        expect(hooks.verifiesStandard(stranger, captured.raw, captured.headers)).toBe(false);

        // Not chosen: the refund's event exists, is dispatched, and has no delivery here.
        await operate(payment.id, 'refunds', { amount: 500 }, m.apiKey);
        const refunded = await eventually(
          () =>
            query<{ id: string; dispatched: boolean; deliveries: number }>(
              `SELECT e.id, e."dispatchedAt" IS NOT NULL AS dispatched,
                      (SELECT count(*)::int FROM "WebhookDelivery" d WHERE d."eventId" = e.id) AS deliveries
                 FROM "PaymentEvent" e WHERE e."paymentId" = $1 AND e.type = 'payment.refunded'`,
              [payment.id],
            ),
          (rows) => rows[0]?.dispatched === true,
          20_000,
        );
        expect(refunded[0].deliveries).toBe(0);
        // Redelivery on request follows the filter too.
        const redelivered = await api<{ data: unknown[] }>(
          stack,
          m.apiKey,
          'POST',
          `/v1/events/${refunded[0].id}/redeliver`,
        );
        expect(redelivered).toMatchObject({ status: 202, body: { data: [] } });

        // Every type again, and a rotation without overlap: the old secrets sign no more.
        expect(
          await api(stack, m.apiKey, 'PATCH', endpointPath, { eventTypes: null }),
        ).toMatchObject({ status: 200, body: { eventTypes: null } });
        const third = (
          await api<EndpointBody>(stack, m.apiKey, 'POST', `${endpointPath}/rotate-secret`, {
            overlapSeconds: 0,
          })
        ).body;
        expect(third.previousSecretExpiresAt).toBeNull();
        hooks.secret = third.secret;
        await operate(payment.id, 'refunds', { amount: 500 }, m.apiKey);
        const refundedNow = await eventually(
          () => Promise.resolve(hooks.ofType('payment.refunded', payment.id)),
          (r) => r.length > 0,
          20_000,
        );
        expect(refundedNow).toHaveLength(1);
        expect(refundedNow[0].signatureValid).toBe(true);
        expect(String(refundedNow[0].headers['webhook-signature']).split(' ')).toHaveLength(1);
        expect(hooks.verifiesStandard(second, refundedNow[0].raw, refundedNow[0].headers)).toBe(
          false,
        );

        // Bad input: clear 4xx with stable codes; another merchant's endpoint is not found.
        for (const body of [
          { eventTypes: ['payment.nonsense'] },
          { eventTypes: [] },
          { eventTypes: ['payment.captured', 'payment.captured'] },
          { eventTypes: 'payment.captured' },
          {},
        ]) {
          expect(await api(stack, m.apiKey, 'PATCH', endpointPath, body)).toMatchObject({
            status: 400,
            body: { code: 'validation_failed' },
          });
        }
        for (const body of [{ overlapSeconds: -1 }, { overlapSeconds: 8 * 86_400 }, { x: 1 }]) {
          expect(
            await api(stack, m.apiKey, 'POST', `${endpointPath}/rotate-secret`, body),
          ).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
        }
        expect(
          await api(stack, other.apiKey, 'POST', `${endpointPath}/rotate-secret`, {}),
        ).toMatchObject({ status: 404, body: { code: 'not_found' } });
        expect(
          await api(stack, other.apiKey, 'PATCH', endpointPath, { eventTypes: null }),
        ).toMatchObject({ status: 404, body: { code: 'not_found' } });
      } finally {
        await hooks.stop();
      }
    });
  });
});
