import { randomUUID } from 'node:crypto';
import SwaggerParser from '@apidevtools/swagger-parser';
import { http } from '../../scripts/stack/http';
import { createPayment, onboardMerchant, type DemoMerchant } from '../../scripts/stack/scenario';
import type { Stack } from '../../scripts/stack/stack';
import { scanLeaks } from '../../bench/lib/leak-scan';
import { TEST_DATABASE_URL } from '../support/database';
import { query, startTestStack } from '../support/e2e-stack';
import { eventually } from '../support/eventually';
import { api, post, type ApiError, type PaymentBody } from '../support/merchant-api';

jest.setTimeout(120_000);

interface KeyBody {
  id: string;
  prefix: string;
  label: string | null;
  revokedAt: string | null;
  active: boolean;
  apiKey?: string;
}

interface ListBody {
  data: PaymentBody[];
  nextCursor: string | null;
  hasMore: boolean;
}

/** The secret part of `psk_<prefix>_<secret>` (base64url: it may itself contain "_"). */
const secretOf = (key: string) => key.slice(key.indexOf('_', 4) + 1);

describe('merchant API: merchants, API keys, payments, Idempotency-Key', () => {
  let stack: Stack;
  let a: DemoMerchant;
  let b: DemoMerchant;

  const onboardBody = (overrides: Record<string, unknown> = {}) => ({
    externalId: `shop-${randomUUID().slice(0, 8)}`,
    name: 'Kaffe og Kage ApS',
    displayName: 'Kaffe og Kage',
    merchantUrl: 'https://kaffe.example.dk',
    logoUrl: `${stack.urls.logo}/logo-250.png`,
    merchantCategoryCode: 5814,
    billingCurrency: 'DKK',
    countryCode: 'DK',
    vatNumber: 'DK12345678',
    acquirerMerchantId: 'acq-kaffe',
    ...overrides,
  });
  const admin = (method: string, path: string, body?: unknown) =>
    http<Record<string, unknown>>(method, `${stack.urls.gateway}${path}`, body, {
      authorization: `Bearer ${stack.adminKey}`,
    });

  beforeAll(async () => {
    // As in production: webhooks only to public addresses (the default there).
    const publicOnly = {
      WEBHOOK_PUBLIC_ADDRESSES_ONLY: 'true',
      WEBHOOK_DISPATCH_INTERVAL_MS: '200',
    };
    stack = await startTestStack({ gateway: publicOnly, worker: publicOnly });
    [a, b] = [await onboardMerchant(stack), await onboardMerchant(stack)];
  });

  afterAll(async () => {
    await stack?.close();
  });

  describe('merchants', () => {
    it('onboards with a checked logo and shows the merchant its own profile', async () => {
      const body = onboardBody({ logoUrl: `${stack.urls.logo}/logo-250.jpg` });
      const onboarded = await admin('POST', '/v1/admin/merchants', body);
      expect(onboarded.status).toBe(201);
      const { merchant, apiKey } = onboarded.body as { merchant: { id: string }; apiKey: string };
      const profile = await api<Record<string, unknown>>(stack, apiKey, 'GET', '/v1/merchant');
      expect(profile).toMatchObject({
        status: 200,
        body: {
          id: merchant.id,
          externalId: body.externalId,
          displayName: 'Kaffe og Kage',
          status: 'ACTIVE',
          mobilePayMerchantId: expect.any(String),
          logoCheckedAt: expect.any(String),
        },
      });
      const other = await api<{ id: string }>(stack, b.apiKey, 'GET', '/v1/merchant');
      expect(other.body.id).toBe(b.id);
    });

    it.each([
      ['/logo-100.png', /250×250/],
      ['/logo-as-text.png', /content type/],
      ['/logo-moved.png', /302/],
      ['/missing.png', /404/],
    ])('refuses a logo the guide does not allow: %s', async (path, message) => {
      const response = await admin(
        'POST',
        '/v1/admin/merchants',
        onboardBody({ logoUrl: `${stack.urls.logo}${path}` }),
      );
      expect(response).toMatchObject({ status: 422, body: { code: 'invalid_logo' } });
      expect(String(response.body.message)).toMatch(message);
    });

    it('refuses an http logo on another host, and invalid or unauthenticated onboarding', async () => {
      const http1 = await admin(
        'POST',
        '/v1/admin/merchants',
        onboardBody({ logoUrl: 'http://shop.example.dk/logo.png' }),
      );
      expect(http1).toMatchObject({ status: 422, body: { code: 'invalid_logo' } });
      const invalid = await admin('POST', '/v1/admin/merchants', { externalId: 'x' });
      expect(invalid).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
      const noKey = await http('POST', `${stack.urls.gateway}/v1/admin/merchants`, onboardBody());
      expect(noKey).toMatchObject({ status: 401, body: { code: 'unauthenticated' } });
      const merchantKey = await api(stack, a.apiKey, 'POST', '/v1/admin/merchants', onboardBody());
      expect(merchantKey.status).toBe(401);
    });

    it('lets a merchant change what the shopper sees, checking a new logo', async () => {
      const m = await onboardMerchant(stack);
      const renamed = await api(stack, m.apiKey, 'PATCH', '/v1/merchant', {
        displayName: 'Ny Butik',
      });
      expect(renamed).toMatchObject({ status: 200, body: { displayName: 'Ny Butik' } });
      const badLogo = await api(stack, m.apiKey, 'PATCH', '/v1/merchant', {
        logoUrl: `${stack.urls.logo}/logo-100.png`,
      });
      expect(badLogo).toMatchObject({ status: 422, body: { code: 'invalid_logo' } });
      const empty = await api(stack, m.apiKey, 'PATCH', '/v1/merchant', {});
      expect(empty).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    });

    it('offboards at MobilePay: OFFBOARDED, keys stop working, repeatable, not re-onboardable', async () => {
      const body = onboardBody();
      const { merchant, apiKey } = (await admin('POST', '/v1/admin/merchants', body)).body as {
        merchant: { id: string; mobilePayMerchantId: string };
        apiKey: string;
      };
      const offboarded = await admin('DELETE', `/v1/admin/merchants/${merchant.id}`);
      expect(offboarded).toMatchObject({
        status: 200,
        body: { status: 'OFFBOARDED', offboardedAt: expect.any(String) },
      });
      expect((await api(stack, apiKey, 'GET', '/v1/merchant')).status).toBe(401);
      expect(await admin('DELETE', `/v1/admin/merchants/${merchant.id}`)).toMatchObject({
        status: 200,
        body: { status: 'OFFBOARDED' },
      });
      // MobilePay deleted it too: it refuses payments for it (2020).
      const events = await http<{ method: string; path: string; status: number }[]>(
        'GET',
        `${stack.urls.sandbox}/sandbox/v1/events`,
      );
      expect(
        events.body.some(
          (e) =>
            e.method === 'DELETE' &&
            e.path === `/api/v1/merchants/${merchant.mobilePayMerchantId}` &&
            e.status < 300,
        ),
      ).toBe(true);
      expect(await admin('POST', '/v1/admin/merchants', body)).toMatchObject({
        status: 409,
        body: { code: 'merchant_offboarded' },
      });
      expect((await admin('DELETE', `/v1/admin/merchants/${randomUUID()}`)).status).toBe(404);
      expect((await admin('DELETE', '/v1/admin/merchants/not-a-uuid')).status).toBe(400);
    });
  });

  describe('API keys', () => {
    it('creates a key shown once, lists keys without secrets, revokes', async () => {
      const m = await onboardMerchant(stack);
      const created = await api<KeyBody>(stack, m.apiKey, 'POST', '/v1/api-keys', {
        label: 'shop backend',
      });
      expect(created).toMatchObject({
        status: 201,
        body: { label: 'shop backend', active: true, revokedAt: null },
      });
      const secretKey = created.body.apiKey!;
      expect(secretKey).toMatch(/^psk_[a-f0-9]{16}_/);
      expect((await api(stack, secretKey, 'GET', '/v1/merchant')).status).toBe(200);

      const list = await api<{ data: KeyBody[] }>(stack, m.apiKey, 'GET', '/v1/api-keys');
      expect(list.body.data).toHaveLength(2);
      const listed = JSON.stringify(list.body);
      expect(listed).not.toContain(secretOf(secretKey));
      expect(listed).not.toContain(secretOf(m.apiKey));
      expect(list.body.data.every((key) => !('apiKey' in key))).toBe(true);
      const rows = await query<{ secretHash: string }>(
        'SELECT "secretHash" FROM "ApiKey" WHERE id = $1',
        [created.body.id],
      );
      expect(rows[0].secretHash).not.toContain(secretOf(secretKey));

      const revoked = await api<KeyBody>(
        stack,
        m.apiKey,
        'DELETE',
        `/v1/api-keys/${created.body.id}`,
      );
      expect(revoked).toMatchObject({ status: 200, body: { active: false } });
      expect((await api(stack, secretKey, 'GET', '/v1/merchant')).status).toBe(401);
      expect(
        (await api(stack, m.apiKey, 'POST', '/v1/api-keys', { label: '' })).body,
      ).toMatchObject({ code: 'validation_failed' });
    });

    it('rotates: a new key, the old one revoked at once or after a grace period', async () => {
      const m = await onboardMerchant(stack);
      const keys = await api<{ data: KeyBody[] }>(stack, m.apiKey, 'GET', '/v1/api-keys');
      const original = keys.body.data[0];

      const graceful = await api<{ created: KeyBody; revoked: KeyBody }>(
        stack,
        m.apiKey,
        'POST',
        `/v1/api-keys/${original.id}/rotate`,
        { gracePeriodSeconds: 600 },
      );
      expect(graceful.status).toBe(201);
      expect(graceful.body.revoked).toMatchObject({ id: original.id, active: true });
      expect(new Date(graceful.body.revoked.revokedAt!).getTime()).toBeGreaterThan(Date.now());
      const second = graceful.body.created.apiKey!;
      expect((await api(stack, m.apiKey, 'GET', '/v1/merchant')).status).toBe(200);
      expect((await api(stack, second, 'GET', '/v1/merchant')).status).toBe(200);

      const immediate = await api<{ created: KeyBody }>(
        stack,
        second,
        'POST',
        `/v1/api-keys/${graceful.body.created.id}/rotate`,
        {},
      );
      expect(immediate.status).toBe(201);
      expect((await api(stack, second, 'GET', '/v1/merchant')).status).toBe(401);
      const third = immediate.body.created.apiKey!;
      expect((await api(stack, third, 'GET', '/v1/merchant')).status).toBe(200);
      expect(
        await api(stack, third, 'POST', `/v1/api-keys/${graceful.body.created.id}/rotate`, {}),
      ).toMatchObject({ status: 409, body: { code: 'api_key_revoked' } });
      expect(
        await api(stack, third, 'POST', `/v1/api-keys/${original.id}/rotate`, {
          gracePeriodSeconds: -1,
        }),
      ).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    });

    it('a key in its rotation grace cannot extend its life: no second rotation, no new keys', async () => {
      const m = await onboardMerchant(stack);
      const keys = await api<{ data: KeyBody[] }>(stack, m.apiKey, 'GET', '/v1/api-keys');
      const original = keys.body.data[0];
      const rotated = await api<{ created: KeyBody; revoked: KeyBody }>(
        stack,
        m.apiKey,
        'POST',
        `/v1/api-keys/${original.id}/rotate`,
        { gracePeriodSeconds: 2 },
      );
      expect(rotated.status).toBe(201);
      const graceEnds = new Date(rotated.body.revoked.revokedAt!).getTime();

      const again = await api<ApiError>(
        stack,
        m.apiKey,
        'POST',
        `/v1/api-keys/${original.id}/rotate`,
        { gracePeriodSeconds: 7 * 24 * 60 * 60 },
      );
      expect(again).toMatchObject({ status: 409, body: { code: 'api_key_revoked' } });
      // Rotating another key, or creating one, would hand the outgoing key a successor of its own.
      const successor = rotated.body.created;
      expect(
        await api(stack, m.apiKey, 'POST', `/v1/api-keys/${successor.id}/rotate`, {}),
      ).toMatchObject({ status: 409, body: { code: 'api_key_revoked' } });
      expect(await api(stack, m.apiKey, 'POST', '/v1/api-keys', {})).toMatchObject({
        status: 409,
        body: { code: 'api_key_revoked' },
      });

      const listed = await api<{ data: KeyBody[] }>(
        stack,
        successor.apiKey!,
        'GET',
        '/v1/api-keys',
      );
      const old = listed.body.data.find((k) => k.id === original.id);
      expect(new Date(old!.revokedAt!).getTime()).toBe(graceEnds);
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, graceEnds - Date.now()) + 200),
      );
      expect((await api(stack, m.apiKey, 'GET', '/v1/merchant')).status).toBe(401);
      expect((await api(stack, successor.apiKey!, 'GET', '/v1/merchant')).status).toBe(200);
    });
  });

  describe('payments', () => {
    it('lists with filters and an opaque cursor, newest first, with totals and attempts', async () => {
      const m = await onboardMerchant(stack);
      const orderId = `order-${randomUUID().slice(0, 8)}`;
      const created = [
        await createPayment(stack, m, { orderId }),
        await createPayment(stack, m),
        await createPayment(stack, m),
      ];
      const first = await api<ListBody>(stack, m.apiKey, 'GET', '/v1/payments?limit=2');
      expect(first.status).toBe(200);
      expect(first.body.data.map((p) => p.id)).toEqual([created[2].id, created[1].id]);
      expect(first.body).toMatchObject({ hasMore: true, nextCursor: expect.any(String) });
      expect(first.body.data[0]).toMatchObject({
        capturedAmount: 0,
        refundedAmount: 0,
        cancelledAmount: 0,
        attempts: [],
        operations: [],
      });
      const second = await api<ListBody>(
        stack,
        m.apiKey,
        'GET',
        `/v1/payments?limit=2&cursor=${first.body.nextCursor}`,
      );
      expect(second.body).toMatchObject({ hasMore: false, nextCursor: null });
      expect(second.body.data.map((p) => p.id)).toEqual([created[0].id]);

      const byOrder = await api<ListBody>(
        stack,
        m.apiKey,
        'GET',
        `/v1/payments?orderId=${orderId}`,
      );
      expect(byOrder.body.data.map((p) => p.id)).toEqual([created[0].id]);
      const byStatus = await api<ListBody>(
        stack,
        m.apiKey,
        'GET',
        '/v1/payments?status=AUTHORIZED',
      );
      expect(byStatus.body.data).toEqual([]);
      const future = new Date(Date.now() + 3600_000).toISOString();
      const later = await api<ListBody>(
        stack,
        m.apiKey,
        'GET',
        `/v1/payments?createdFrom=${future}`,
      );
      expect(later.body.data).toEqual([]);
      const window = await api<ListBody>(
        stack,
        m.apiKey,
        'GET',
        `/v1/payments?createdTo=${future}&status=INITIATED`,
      );
      expect(window.body.data).toHaveLength(3);

      for (const bad of [
        'limit=0',
        'limit=101',
        'status=PAID',
        'cursor=abc',
        'createdFrom=today',
        'x=1',
      ]) {
        const response = await api<ApiError>(stack, m.apiKey, 'GET', `/v1/payments?${bad}`);
        expect([bad, response.status, response.body.code]).toEqual([bad, 400, 'validation_failed']);
      }
      const others = await api<ListBody>(stack, b.apiKey, 'GET', '/v1/payments?limit=100');
      const ids = new Set(others.body.data.map((p) => p.id));
      expect(created.some((p) => ids.has(p.id))).toBe(false);
    });

    it('refuses invalid payments with validation_failed', async () => {
      for (const body of [
        { amount: 1.5, currency: 'DKK', orderId: 'o', redirectFromMobilePayUrl: 'https://x.dk' },
        { amount: 100, currency: 'XYZ', orderId: 'o', redirectFromMobilePayUrl: 'https://x.dk' },
        { amount: 100, currency: 'DKK', orderId: 'o' },
      ]) {
        const response = await api<ApiError>(stack, a.apiKey, 'POST', '/v1/payments', body);
        expect(response).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
      }
    });
  });

  describe('Idempotency-Key', () => {
    const paymentBody = () => ({
      amount: 4_995,
      currency: '208',
      orderId: `order-${randomUUID().slice(0, 8)}`,
      redirectFromMobilePayUrl: 'https://shop.example.dk/return',
    });

    it('replays the first response for the same key and parameters', async () => {
      const key = randomUUID();
      const body = paymentBody();
      const first = await post(stack, a.apiKey, '/v1/payments', body, key);
      const again = await post(stack, a.apiKey, '/v1/payments', { ...body }, key);
      expect(first).toMatchObject({ status: 201, replayed: false });
      expect(again).toMatchObject({ status: 201, replayed: true, body: first.body });
      const rows = await query('SELECT 1 FROM "Payment" WHERE "merchantOrderId" = $1', [
        body.orderId,
      ]);
      expect(rows).toHaveLength(1);
    });

    it('refuses the same key with other parameters (422 idempotency_key_reused)', async () => {
      const key = randomUUID();
      await post(stack, a.apiKey, '/v1/payments', paymentBody(), key);
      const reused = await post(stack, a.apiKey, '/v1/payments', paymentBody(), key);
      expect(reused).toMatchObject({ status: 422, body: { code: 'idempotency_key_reused' } });
      const otherPath = await post(stack, a.apiKey, '/v1/api-keys', {}, key);
      expect(otherPath).toMatchObject({ status: 422, body: { code: 'idempotency_key_reused' } });
    });

    it('runs concurrent duplicates once: they wait for and replay the first, or get a 409', async () => {
      const key = randomUUID();
      const body = paymentBody();
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => post(stack, a.apiKey, '/v1/payments', body, key)),
      );
      const created = answers.filter((r) => r.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
      for (const other of answers.filter((r) => r.status !== 201)) {
        expect(other).toMatchObject({
          status: 409,
          body: { code: 'idempotency_request_in_progress' },
        });
      }
      const rows = await query('SELECT 1 FROM "Payment" WHERE "merchantOrderId" = $1', [
        body.orderId,
      ]);
      expect(rows).toHaveLength(1);
    });

    it('scopes keys per merchant', async () => {
      const key = randomUUID();
      const body = paymentBody();
      const mine = await post(stack, a.apiKey, '/v1/payments', body, key);
      const theirs = await post(stack, b.apiKey, '/v1/payments', body, key);
      expect([mine.status, theirs.status]).toEqual([201, 201]);
      expect(theirs.body.id).not.toBe(mine.body.id);
      expect(theirs.replayed).toBe(false);
    });

    it('stores no result for invalid input: corrected parameters may reuse the key', async () => {
      const key = randomUUID();
      const invalid = await post(stack, a.apiKey, '/v1/payments', { amount: -1 }, key);
      expect(invalid).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
      const valid = await post(stack, a.apiKey, '/v1/payments', paymentBody(), key);
      expect(valid.status).toBe(201);
    });

    it('stores and replays a refusal of a request that ran (request fishing)', async () => {
      const orderId = `order-${randomUUID().slice(0, 8)}`;
      for (let i = 0; i < 3; i++) await createPayment(stack, a, { orderId });
      const key = randomUUID();
      const body = { ...paymentBody(), orderId };
      const refused = await post(stack, a.apiKey, '/v1/payments', body, key);
      expect(refused).toMatchObject({ status: 409, body: { code: 'request_fishing' } });
      const replay = await post(stack, a.apiKey, '/v1/payments', body, key);
      expect(replay).toMatchObject({ status: 409, replayed: true, body: refused.body });
    });

    it('forgets keys after 24 hours', async () => {
      const key = randomUUID();
      await post(stack, a.apiKey, '/v1/payments', paymentBody(), key);
      await query(
        `UPDATE "IdempotencyRecord" SET "expiresAt" = now() - interval '1 second'
          WHERE key = $1 AND scope = $2`,
        [key, `merchant:${a.id}`],
      );
      const fresh = await post(stack, a.apiKey, '/v1/payments', paymentBody(), key);
      expect(fresh).toMatchObject({ status: 201, replayed: false });
    });

    it('refuses a malformed key', async () => {
      const response = await post(stack, a.apiKey, '/v1/payments', paymentBody(), 'x'.repeat(256));
      expect(response).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    });
  });

  describe('tenant isolation', () => {
    it("answers 404 to merchant B for everything of merchant A's", async () => {
      const payment = await createPayment(stack, a);
      const keys = await api<{ data: KeyBody[] }>(stack, a.apiKey, 'GET', '/v1/api-keys');
      const endpoint = await api<{ id: string }>(stack, a.apiKey, 'POST', '/v1/webhook-endpoints', {
        url: 'https://93.184.216.34/a',
      });
      const keyId = keys.body.data[0].id;
      const probes: [string, string, unknown?][] = [
        ['GET', `/v1/payments/${payment.id}`],
        ['POST', `/v1/payments/${payment.id}/captures`, { amount: 1 }],
        ['POST', `/v1/payments/${payment.id}/cancels`, {}],
        ['POST', `/v1/payments/${payment.id}/refunds`, { amount: 1 }],
        ['DELETE', `/v1/api-keys/${keyId}`],
        ['POST', `/v1/api-keys/${keyId}/rotate`, {}],
        ['GET', `/v1/webhook-endpoints/${endpoint.body.id}`],
        ['DELETE', `/v1/webhook-endpoints/${endpoint.body.id}`],
      ];
      for (const [method, path, body] of probes) {
        const response = await api<ApiError>(stack, b.apiKey, method, path, body);
        expect([method, path, response.status, response.body.code]).toEqual([
          method,
          path,
          404,
          'not_found',
        ]);
      }
      expect((await api(stack, a.apiKey, 'GET', '/v1/merchant')).status).toBe(200);
      expect(
        (await api(stack, a.apiKey, 'GET', `/v1/webhook-endpoints/${endpoint.body.id}`)).status,
      ).toBe(200);
    });
  });

  describe('webhook destinations (no requests into our own networks)', () => {
    it.each([
      'https://10.0.0.1/hooks',
      'https://169.254.169.254/latest/meta-data',
      'https://localhost/hooks',
      'https://[::1]/hooks',
      'https://[::ffff:192.168.0.10]/hooks',
    ])('refuses an endpoint at %s', async (url) => {
      const response = await api<ApiError>(stack, a.apiKey, 'POST', '/v1/webhook-endpoints', {
        url,
      });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.body).toMatchObject({
        code: 'validation_failed',
        message: 'url must point to a public address',
      });
    });

    it('the worker refuses too: an endpoint that points inward by now gets no request', async () => {
      // Stored behind the API's back, as if the name had been re-pointed after creation.
      const endpointId = randomUUID();
      await query(
        `INSERT INTO "WebhookEndpoint" (id, "merchantId", url, secret) VALUES ($1, $2, $3, 'whsec_x')`,
        [endpointId, a.id, 'https://127.0.0.1:9/hooks'],
      );
      const payment = await createPayment(stack, a);
      await query(
        `INSERT INTO "PaymentEvent" (id, "paymentId", "merchantId", type, "dedupeKey", data)
         VALUES ($1, $2, $3, 'payment.expired', $4, '{}')`,
        [randomUUID(), payment.id, a.id, `ssrf-test:${payment.id}`],
      );
      const [delivery] = await eventually(
        () =>
          query<{ lastError: string | null; attempts: number }>(
            `SELECT "lastError", attempts FROM "WebhookDelivery" WHERE "endpointId" = $1`,
            [endpointId],
          ),
        (rows) => rows.length > 0 && rows[0].lastError !== null,
        20_000,
      );
      expect(delivery).toMatchObject({
        attempts: 1,
        lastError: 'refused: the host does not resolve to public addresses only',
      });
    });
  });

  describe('shown-once secrets at rest', () => {
    it('replays onboarding, key creation, rotation and webhook secrets, and no table holds one', async () => {
      const shown: string[] = [];
      const twice = async (key: string, path: string, body: unknown) => {
        const idempotencyKey = randomUUID();
        const first = await post(stack, key, path, body, idempotencyKey);
        expect(first.status).toBeLessThan(300);
        const again = await post(stack, key, path, body, idempotencyKey);
        // Stripe's semantics: the same answer, the secret included.
        expect(again).toEqual({ ...first, replayed: true });
        return first.body;
      };
      const onboarded = await twice(stack.adminKey, '/v1/admin/merchants', onboardBody());
      const apiKey = onboarded.apiKey as string;
      const created = await twice(apiKey, '/v1/api-keys', { label: 'at rest' });
      const rotated = await twice(apiKey, `/v1/api-keys/${created.id as string}/rotate`, {
        gracePeriodSeconds: 60,
      });
      const hook = await twice(apiKey, '/v1/webhook-endpoints', {
        url: 'https://93.184.216.34/at-rest',
      });
      for (const secret of [
        apiKey,
        created.apiKey as string,
        (rotated.created as { apiKey: string }).apiKey,
        hook.secret as string,
      ]) {
        expect(secret).toMatch(/^(psk_[a-f0-9]{16}_|whsec_)/);
        shown.push(secret, secret.startsWith('psk_') ? secretOf(secret) : secret.slice(6));
      }
      expect(new Set(shown).size).toBe(shown.length);

      const result = await scanLeaks({
        logDirs: [stack.logDir],
        traceFiles: [],
        redis: [],
        databaseUrl: TEST_DATABASE_URL,
        secrets: shown,
      });
      expect(result.violations).toEqual([]);
      expect(result.scanned.databaseRows).toBeGreaterThan(10);
      const [record] = await query<{ body: string }>(
        `SELECT "responseBody"::text AS body FROM "IdempotencyRecord"
          WHERE "responseSecrets" IS NOT NULL AND path = $1`,
        [`/v1/api-keys/${created.id as string}/rotate`],
      );
      expect(record.body).toMatch(/"apiKey": "\[sealed\]"/);
    });

    it('the scan finds a secret left in clear', async () => {
      const leaked = `psk_${'ab'.repeat(8)}_${'Z'.repeat(43)}`;
      await query(
        `UPDATE "IdempotencyRecord" SET "responseBody" = jsonb_build_object('apiKey', $1::text)
          WHERE id = (SELECT id FROM "IdempotencyRecord" ORDER BY "createdAt" DESC LIMIT 1)`,
        [leaked],
      );
      const result = await scanLeaks({
        logDirs: [stack.logDir],
        traceFiles: [],
        redis: [],
        databaseUrl: TEST_DATABASE_URL,
        tables: ['IdempotencyRecord'],
      });
      expect(result.hits.map((hit) => [hit.source, hit.where, hit.kind])).toEqual([
        ['database', 'IdempotencyRecord', 'secret'],
      ]);
      expect(result.violations.join('\n')).not.toContain(leaked.slice(4));
    });
  });

  it('serves an OpenAPI 3.1 document of /v1 that validates', async () => {
    const response = await http<Record<string, unknown>>(
      'GET',
      `${stack.urls.gateway}/v1/openapi.json`,
    );
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(response.body as never)).resolves.toBeDefined();
    expect(Object.keys(response.body.paths as object)).toEqual(
      expect.arrayContaining([
        '/v1/payments/{id}/refunds',
        '/v1/webhook-endpoints',
        '/v1/api-keys',
      ]),
    );
  });
});
