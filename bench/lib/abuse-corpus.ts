import { randomUUID } from 'node:crypto';
import { checkoutCallback } from '../../scripts/stack/mobilepay-callbacks';
import type { AbuseRequest, AbuseTargets } from './abuse-cases';

/** Deep enough to overflow a recursive walk of the parsed body, small enough for the 64 KB limit. */
const DEPTH = 20_000;

const BODIES: Record<string, string> = {
  'deep array': '['.repeat(DEPTH) + ']'.repeat(DEPTH),
  'deep object': '{"a":'.repeat(DEPTH / 4) + '1' + '}'.repeat(DEPTH / 4),
  'prototype pollution': '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}',
  'broken JSON': '{"amount":',
  'JSON null': 'null',
  'over the limit': JSON.stringify({ pad: 'A'.repeat(1_100_000) }),
};

/**
 * The systematic half of the abuse run, next to the random one: each hostile body once on every
 * route that takes a body, with credentials that get it past authentication (and an
 * Idempotency-Key), so the body reaches the code behind the guard.
 */
export function corpusRequests(t: AbuseTargets): AbuseRequest[] {
  const requests: AbuseRequest[] = [];
  const withBody = t.routes.filter((r) => ['POST', 'PATCH', 'PUT'].includes(r.method));
  const targets = [
    ...withBody.map((route) => ({
      family: `${route.method} ${route.path}`,
      method: route.method,
      path: route.path.replace(/\{[^}]+\}/g, t.paymentIds[0]),
      authorization: route.path.startsWith('/v1/admin') ? t.adminKey : t.merchantKey,
    })),
    ...['card-data', 'token', 'checkout', 'failed'].map((kind) => ({
      family: `POST /callbacks/mobilepay/${kind}`,
      method: 'POST',
      path: `/callbacks/mobilepay/${kind}`,
      authorization: undefined,
    })),
    {
      family: 'POST /3ds/{attemptId}/challenge',
      method: 'POST',
      path: `/3ds/${randomUUID()}/challenge`,
      authorization: undefined,
    },
  ];
  for (const target of targets) {
    for (const [name, body] of Object.entries(BODIES)) {
      requests.push({
        family: `${target.family} (corpus: ${name})`,
        method: target.method,
        path: target.path,
        headers: {
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
          ...(target.authorization ? { authorization: `Bearer ${target.authorization}` } : {}),
        },
        body,
        allowed: target.path.endsWith('/token') ? [501] : [],
      });
    }
  }
  requests.push(...nulCases(t));
  return requests;
}

/** Text PostgreSQL cannot store in json/text: NUL, and a lone surrogate. */
const UNSTORABLE = ['x\u0000y', 'x\ud800y'];

/**
 * Valid callbacks with one free-text field made unstorable, so the value gets past the schema
 * and reaches the database (where a NUL must become a 4xx, not a 500 that MobilePay retries).
 */
function nulCases(t: AbuseTargets): AbuseRequest[] {
  const paymentId = t.mobilePayPaymentIds[t.mobilePayPaymentIds.length - 1];
  const checkout = checkoutCallback(paymentId) as Record<string, unknown> & {
    Addresses: Record<string, unknown>[];
  };
  const bodies: unknown[] = [];
  for (const value of UNSTORABLE) {
    for (const [key, field] of Object.entries(checkout)) {
      if (typeof field === 'string' && !key.endsWith('Id')) {
        bodies.push({ ...checkout, AuthorizationAttemptId: randomUUID(), [key]: value });
      }
    }
    for (const [key, field] of Object.entries(checkout.Addresses[0])) {
      if (typeof field !== 'string') continue;
      const address = { ...checkout.Addresses[0], [key]: value };
      bodies.push({ ...checkout, AuthorizationAttemptId: randomUUID(), Addresses: [address] });
    }
  }
  return bodies.map((body) => ({
    family: 'POST /callbacks/mobilepay/checkout (corpus: unstorable text)',
    method: 'POST',
    path: '/callbacks/mobilepay/checkout',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }));
}
