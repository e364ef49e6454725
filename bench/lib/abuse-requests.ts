import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  checkoutCallback,
  mastercardTokenCallback,
  ticksAt,
  visaTokenCallback,
} from '../../scripts/stack/mobilepay-callbacks';
import {
  type AbuseRequest,
  type AbuseTargets,
  contentType,
  encryptPlaintext,
  hostileBody,
  mutate,
  text,
  weird,
} from './abuse-cases';

/** Percent-encodes every byte outside the unreserved set (lone surrogates become U+FFFD). */
function segment(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).padStart(2, '0').toUpperCase()}`,
    )
    .join('');
}

const query = fc
  .dictionary(fc.constantFrom('status', 'limit', 'cursor', 'type', 'queue', 'token', 'x'), text, {
    maxKeys: 3,
  })
  .map((params) => {
    const pairs = Object.entries(params).map(([k, v]) => `${k}=${segment(v)}`);
    return pairs.length > 0 ? `?${pairs.join('&')}` : '';
  });

function auth(t: AbuseTargets): fc.Arbitrary<Record<string, string>> {
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(bearer(t.merchantKey)) },
    { weight: 2, arbitrary: fc.constant(bearer(t.otherMerchantKey)) },
    { weight: 2, arbitrary: fc.constant(bearer(t.adminKey)) },
    {
      weight: 4,
      arbitrary: fc.constantFrom<Record<string, string>>(
        {},
        bearer('psk_nope'),
        bearer(''),
        { authorization: t.merchantKey },
        { authorization: `bearer ${t.merchantKey}` },
        bearer(`${t.merchantKey}x`),
        bearer('k'.repeat(5_000)),
        { authorization: `Basic ${Buffer.from(`admin:${t.adminKey}`).toString('base64')}` },
        { authorization: 'Basic !!!' },
      ),
    },
  );
}

function pathParam(t: AbuseTargets): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...t.paymentIds, t.otherPaymentId) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 3, arbitrary: text.map(segment).filter((s) => s.length > 0) },
    { weight: 1, arbitrary: fc.constantFrom('..', '%2e%2e', '0', '-1', 'x'.repeat(3_000)) },
  );
}

const TEMPLATES: Record<string, Record<string, unknown>> = {
  'POST /v1/payments': {
    amount: 12_995,
    currency: 'DKK',
    orderId: 'fuzz-order',
    redirectFromMobilePayUrl: 'https://shop.example.dk/return',
  },
  'POST /v1/payments/{id}/captures': { amount: 100 },
  'POST /v1/payments/{id}/cancels': { amount: 100 },
  'POST /v1/payments/{id}/refunds': { amount: 100 },
  'POST /v1/webhook-endpoints': {
    url: 'https://hooks.example.dk/x',
    events: ['payment.authorized'],
  },
  'PATCH /v1/merchant': { displayName: 'Fuzz' },
  'POST /v1/api-keys': { name: 'fuzz' },
  'POST /v1/admin/merchants': {
    externalId: 'fuzz-shop',
    name: 'Fuzz ApS',
    displayName: 'Fuzz',
    merchantUrl: 'https://shop.example.dk',
    logoUrl: 'http://127.0.0.1:9/logo-250.png',
    merchantCategoryCode: 5499,
    billingCurrency: 'DKK',
    countryCode: 'DK',
    vatNumber: 'DK11102248',
    acquirerMerchantId: 'acq-fuzz',
  },
};

/** The merchant API, the back office and the PoS API: every route, every kind of caller. */
function apiRequests(t: AbuseTargets): fc.Arbitrary<AbuseRequest> {
  return fc.constantFrom(...t.routes).chain((route) => {
    const template = TEMPLATES[`${route.method} ${route.path}`] ?? {
      amount: 100,
      id: randomUUID(),
    };
    const withBody = ['POST', 'PATCH', 'PUT'].includes(route.method);
    const body = withBody
      ? fc.oneof(
          { weight: 5, arbitrary: mutate(template) },
          { weight: 3, arbitrary: hostileBody },
          { weight: 2, arbitrary: weird.map((v) => JSON.stringify(v) ?? '') },
        )
      : fc.option(hostileBody, { freq: 8, nil: undefined });
    return fc
      .record({
        ids: fc.tuple(pathParam(t), pathParam(t)),
        auth: auth(t),
        query,
        body,
        type: contentType,
        idempotencyKey: fc.option(fc.oneof(fc.uuid(), text.map(segment)), { nil: undefined }),
      })
      .map(({ ids, auth: headers, query: qs, body: payload, type, idempotencyKey }) => {
        let n = 0;
        const path = route.path.replace(/\{[^}]+\}/g, () => ids[n++ % 2]);
        return {
          family: `${route.method} ${route.path}`,
          method: route.method,
          path: `${path}${qs}`,
          headers: {
            ...headers,
            ...(payload === undefined ? {} : { 'content-type': type }),
            ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
          },
          body: payload,
        };
      });
  });
}

/** Valid and broken card-data callbacks: replays, tampered and foreign ciphertexts, odd plaintexts. */
function cardDataBodies(t: AbuseTargets): fc.Arbitrary<{ body: string; carriesPan?: boolean }> {
  const pool = fc.constantFrom(...t.cardDataPool);
  const fresh = (b: Record<string, unknown>) => ({ ...b, AuthorizationAttemptId: randomUUID() });
  const plaintext = fc
    .record({
      ticks: fc.oneof(
        fc.constant(ticksAt(Date.now())),
        weird.map((v) => JSON.stringify(v) ?? '0'),
      ),
      pan: fc.oneof(
        fc.constantFrom('4111111111111111', '"4111111111111111"', '0', '-4111111111111111'),
        fc.constantFrom('4111111111111111.5', '"4111 1111 1111 1111"', '41111111111111111111111'),
        weird.map((v) => JSON.stringify(v) ?? 'null'),
      ),
      month: fc.oneof(
        fc.constant('12'),
        weird.map((v) => JSON.stringify(v) ?? 'null'),
      ),
      year: fc.oneof(
        fc.constant('39'),
        weird.map((v) => JSON.stringify(v) ?? 'null'),
      ),
    })
    .map(
      (p) =>
        `{"timestampticks":${p.ticks},"encryptedCardData":` +
        `{"cardNumber":${p.pan},"expiryMonth":${p.month},"expiryYear":${p.year}}}`,
    );
  const anyPlaintext = fc.oneof(
    { weight: 4, arbitrary: plaintext },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 120 }) },
    { weight: 1, arbitrary: fc.constant('x'.repeat(446)) },
  );
  return fc.oneof(
    { weight: 2, arbitrary: pool.map((b) => ({ body: JSON.stringify(b) })) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          pool,
          fc.nat(),
          fc.constantFrom('flip', 'truncate', 'extend', 'garbage', 'empty'),
          fc.boolean(),
        )
        .map(([b, at, how, renew]) => {
          const bytes = Buffer.from(String(b.EncryptedCardData), 'base64');
          if (how === 'flip') bytes[at % bytes.length] ^= 0x5a;
          const tampered =
            how === 'flip'
              ? bytes.toString('base64')
              : how === 'truncate'
                ? bytes.subarray(0, at % bytes.length).toString('base64')
                : how === 'extend'
                  ? Buffer.concat([bytes, Buffer.from([at & 0xff])]).toString('base64')
                  : how === 'garbage'
                    ? '!!not base64!!'
                    : '';
          return {
            body: JSON.stringify({ ...(renew ? fresh(b) : b), EncryptedCardData: tampered }),
          };
        }),
    },
    {
      weight: 3,
      arbitrary: fc.tuple(pool, anyPlaintext, fc.boolean()).map(([b, plain, foreign]) => ({
        body: JSON.stringify({
          ...fresh(b),
          EncryptedCardData: encryptPlaintext(foreign ? t.foreignKeyPem : t.publicKeyPem, plain),
        }),
      })),
    },
    { weight: 3, arbitrary: pool.chain((b) => mutate(fresh(b))).map((body) => ({ body })) },
    {
      weight: 1,
      arbitrary: pool.map((b) => ({
        body: JSON.stringify({
          ...fresh(b),
          EncryptedCardData: '4111111111111111',
          CardNumber: '5555555555554444',
        }),
        carriesPan: true,
      })),
    },
    { weight: 2, arbitrary: hostileBody.map((body) => ({ body })) },
  );
}

/** MobilePay's four callbacks. */
function callbackRequests(t: AbuseTargets): fc.Arbitrary<AbuseRequest> {
  const payment = fc.oneof(fc.constantFrom(...t.mobilePayPaymentIds), fc.uuid());
  const tokenBody = fc
    .tuple(payment, fc.boolean())
    .chain(([id, visa]) => mutate(visa ? visaTokenCallback(id) : mastercardTokenCallback(id)));
  const kinds: [string, fc.Arbitrary<{ body: string; carriesPan?: boolean }>][] = [
    ['card-data', cardDataBodies(t)],
    ['token', fc.oneof(tokenBody, hostileBody).map((body) => ({ body, carriesPan: true }))],
    [
      'checkout',
      fc
        .oneof(
          payment.chain((id) => mutate(checkoutCallback(id))),
          hostileBody,
        )
        .map((body) => ({ body })),
    ],
    [
      'failed',
      fc
        .oneof(
          payment.chain((id) => mutate({ Code: '100', Reason: 'Payment expired', PaymentId: id })),
          hostileBody,
        )
        .map((body) => ({ body })),
    ],
  ];
  return fc.tuple(fc.constantFrom(...kinds), contentType).chain(([[kind, bodies], type]) =>
    bodies.map(({ body, carriesPan }) => ({
      family: `POST /callbacks/mobilepay/${kind}`,
      method: 'POST',
      path: `/callbacks/mobilepay/${kind}`,
      headers: { 'content-type': type },
      body,
      allowed: kind === 'token' ? [501] : [],
      carriesPan,
    })),
  );
}

/** 3-D Secure pages, health, metrics, the queue dashboard, unknown paths and methods. */
function edgeRequests(t: AbuseTargets): fc.Arbitrary<AbuseRequest> {
  const basic = (user: string, key: string) =>
    `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`;
  return fc.oneof<fc.Arbitrary<AbuseRequest>[]>(
    fc.tuple(pathParam(t), text).map(([id, token]) => ({
      family: 'GET /3ds/{attemptId}',
      method: 'GET',
      path: `/3ds/${id}?token=${segment(token)}`,
      headers: {},
    })),
    fc
      .tuple(
        fc.uuid(),
        fc.oneof(mutate({ token: 'x'.repeat(24), action: 'approve' }), hostileBody),
        contentType,
      )
      .map(([id, body, type]) => ({
        family: 'POST /3ds/{attemptId}/challenge',
        method: 'POST',
        path: `/3ds/${id}/challenge`,
        headers: { 'content-type': type },
        body,
      })),
    fc
      .tuple(
        fc.constantFrom('/health/live', '/health/ready', '/metrics', '/v1/openapi.json'),
        fc.constantFrom('GET', 'POST', 'DELETE', 'OPTIONS', 'HEAD'),
        query,
        fc.constantFrom('gateway', 'worker'),
      )
      .map(([path, method, qs, base]) => ({
        family: `${base} ${path}`,
        method,
        path: `${path}${qs}`,
        headers: {},
        base,
      })),
    fc
      .tuple(
        fc.constantFrom('/admin/queues', '/admin/queues/api/queues', '/admin/queues/x/../..'),
        fc.constantFrom(basic('admin', t.adminKey), basic('admin', 'nope'), 'Basic ???', ''),
      )
      .map(([path, authorization]): AbuseRequest => ({
        family: 'GET /admin/queues',
        method: 'GET',
        path,
        headers: authorization ? { authorization } : {},
      })),
    fc
      .tuple(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND'),
        fc.oneof(
          text.map((s) => `/${segment(s)}`),
          fc.constantFrom('/..%2f..%2fetc%2fpasswd', '//v1//payments', `/${'a'.repeat(9_000)}`),
          fc.constantFrom('/v1/payments/', '/callbacks/mobilepay/', '/v1/admin/', '/3ds/'),
        ),
      )
      .map(([method, path]) => ({ family: 'unknown routes', method, path, headers: {} })),
  );
}

const PAN_LIKE = /(?<!\d)\d{13,19}(?!\d)/;

/** Every public endpoint; no request carries a 13–19 digit run unless it means to (see leak scan). */
export function abuseRequests(t: AbuseTargets): fc.Arbitrary<AbuseRequest> {
  return fc
    .oneof(
      { weight: 4, arbitrary: callbackRequests(t) },
      { weight: 4, arbitrary: apiRequests(t) },
      { weight: 2, arbitrary: edgeRequests(t) },
    )
    .filter((r) => r.carriesPan === true || !PAN_LIKE.test(`${r.path} ${r.body ?? ''}`));
}
