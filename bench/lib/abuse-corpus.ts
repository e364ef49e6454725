import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  cardDataCallbackSchema,
  checkoutCallbackSchema,
  failedPaymentCallbackSchema,
  tokenCallbackSchema,
} from '@app/mobilepay';
import { posCheckInNotificationSchema } from '@app/pos';
import { checkoutCallback, visaTokenCallback } from '../../scripts/stack/mobilepay-callbacks';
import type { AbuseRequest, AbuseTargets } from './abuse-cases';
import {
  casesForSchemaRoute,
  type SchemaRoute,
  type UnstorableCase,
  unstorableCorpus,
} from './openapi-corpus';

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
  requests.push(...unstorableRequests(t));
  return requests;
}

/**
 * MobilePay's callbacks and the 3-D Secure answer are not in the merchant API's document: they are
 * described from the same zod schemas the gateway validates them with, starting from valid bodies.
 */
function callbackRoutes(t: AbuseTargets): SchemaRoute[] {
  const paymentId = t.mobilePayPaymentIds[t.mobilePayPaymentIds.length - 1];
  const schema = (zod: z.ZodType) =>
    z.toJSONSchema(zod, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return [
    {
      method: 'post',
      path: '/callbacks/mobilepay/checkout',
      schema: schema(checkoutCallbackSchema),
      example: checkoutCallback(paymentId),
    },
    {
      method: 'post',
      path: '/callbacks/mobilepay/failed',
      schema: schema(failedPaymentCallbackSchema),
      example: { Code: '100', Reason: 'Payment expired', PaymentId: paymentId },
    },
    {
      method: 'post',
      path: '/callbacks/mobilepay/token',
      schema: schema(tokenCallbackSchema),
      example: visaTokenCallback(paymentId),
    },
    {
      method: 'post',
      path: '/callbacks/mobilepay/card-data',
      schema: schema(cardDataCallbackSchema),
      example: t.cardDataPool[0],
    },
    {
      method: 'post',
      path: '/callbacks/mobilepay/pos/notifications',
      schema: schema(posCheckInNotificationSchema),
    },
    {
      method: 'post',
      path: '/3ds/{attemptId}/challenge',
      schema: schema(z.object({ token: z.string().min(16).max(128), action: z.enum(['approve']) })),
    },
  ];
}

/**
 * NUL, lone surrogates, overlong UTF-8 and overlong text in every string field of every route:
 * generated from the gateway's OpenAPI document (so a new route or field is covered when it is
 * documented) and from the callbacks' schemas. NUL and lone surrogates in a body must come back
 * as 400 validation_failed naming the field; nothing may end in a 5xx.
 */
export function unstorableRequests(t: AbuseTargets): AbuseRequest[] {
  const cases: UnstorableCase[] = [
    ...unstorableCorpus(t.openApi, TEMPLATE_EXAMPLES),
    ...callbackRoutes(t).flatMap(casesForSchemaRoute),
  ];
  return cases.map((c) => {
    const path = c.path.replace(/\{[^}]+\}/g, t.paymentIds[0]) + (c.query ?? '');
    const authorization = c.path.startsWith('/v1/admin')
      ? t.adminKey
      : c.path.startsWith('/v1/')
        ? t.merchantKey
        : undefined;
    return {
      family: `${c.route} (unstorable ${c.in} text: ${c.kind})`,
      method: c.method,
      path,
      headers: {
        ...(c.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(c.method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
        ...(authorization ? { authorization: `Bearer ${authorization}` } : {}),
      },
      body: c.body,
      encoding: c.body === undefined ? undefined : 'latin1',
      allowed: c.path.endsWith('/token') ? [501] : [],
      mustNameField: c.mustNameField ? c.field : undefined,
    };
  });
}

/** Bodies that get past the routes' own checks, so the hostile field is the only thing wrong. */
const TEMPLATE_EXAMPLES: Record<string, Record<string, unknown>> = {
  'POST /v1/payments': {
    amount: 12_995,
    currency: 'DKK',
    redirectFromMobilePayUrl: 'https://shop.example.dk/return',
  },
  'POST /v1/admin/merchants': {
    merchantUrl: 'https://shop.example.dk',
    logoUrl: 'http://127.0.0.1:9/logo-250.png',
    merchantCategoryCode: 5499,
    countryCode: 'DK',
    vatNumber: 'DK11102248',
  },
};
