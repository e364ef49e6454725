import { z } from 'zod';
import { ErrorCode } from '@app/domain';
import { API_ROUTES, type ApiRoute } from './api-routes';

type JsonObject = Record<string, unknown>;

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid request (validation_failed)',
  401: 'Missing or invalid API key (unauthenticated)',
  402: 'The acquirer declined (acquirer_declined)',
  404: 'Not found, or not this merchant’s (not_found)',
  409: 'Conflict with the current state (see code)',
  422: 'Refused (see code), e.g. idempotency_key_reused, amount_exceeds_available, invalid_logo',
  502: 'MobilePay or the acquirer did not answer; retry with the same Idempotency-Key',
};

const ERROR_SCHEMA = z.object({
  code: z.enum(Object.values(ErrorCode) as [string, ...string[]]),
  message: z.string(),
  correlationId: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
  errorId: z.string().optional(),
});

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
  }) as JsonObject;
  return rest;
}

function json(schema: JsonObject) {
  return { 'application/json': { schema } };
}

function parameters(route: ApiRoute): JsonObject[] {
  const path = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string', format: 'uuid' },
  }));
  const query = Object.entries(route.query?.shape ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: false,
    schema: jsonSchema(schema as z.ZodType, 'input'),
  }));
  const idempotency =
    route.method === 'post' && route.auth !== 'none'
      ? [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description:
              'Up to 255 printable ASCII characters, unique per request. The first response is ' +
              'stored for 24 h and replayed (header Idempotent-Replayed: true); the same key ' +
              'with another body answers 422 idempotency_key_reused; while the first request ' +
              'runs, a duplicate waits up to 2 s, then answers 409 idempotency_request_in_progress.',
            schema: { type: 'string', minLength: 1, maxLength: 255 },
          },
        ]
      : [];
  return [...path, ...query, ...idempotency];
}

function operation(route: ApiRoute): JsonObject {
  const [status, body] = route.success;
  const errorStatuses = [
    ...(route.auth === 'none' ? [] : [400, 401]),
    ...(route.method === 'post' && route.auth !== 'none' ? [409, 422] : []),
    ...(route.errors ?? []),
  ];
  const responses: JsonObject = {
    [status]: body
      ? { description: 'OK', content: json(jsonSchema(body, 'output')) }
      : { description: 'No content' },
  };
  for (const code of [...new Set(errorStatuses)].sort()) {
    responses[code] = {
      description: STATUS_TEXT[code] ?? 'Error',
      content: json({ $ref: '#/components/schemas/Error' }),
    };
  }
  return {
    operationId: `${route.method}${route.path.replace(/[{}]/g, '').replace(/[/.-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
    summary: route.summary,
    tags: [route.tag],
    security:
      route.auth === 'merchant'
        ? [{ apiKey: [] }]
        : route.auth === 'admin'
          ? [{ adminKey: [] }]
          : [],
    parameters: parameters(route),
    ...(route.body
      ? { requestBody: { required: true, content: json(jsonSchema(route.body, 'input')) } }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of the merchant API, built from the route table and its zod schemas. */
export function buildOpenApiDocument(serverUrl?: string): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const route of API_ROUTES) {
    paths[route.path] = { ...paths[route.path], [route.method]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'MobilePay Online PSP — merchant API',
      version: '1.0.0',
      description:
        'Amounts are integers in minor units. Errors: { code, message, correlationId }. ' +
        'Webhooks are signed the Standard Webhooks way (webhook-id, webhook-timestamp, ' +
        'webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<raw body>">, one per ' +
        'live secret, the key being the base64 after whsec_). Deprecated, still sent: ' +
        'MobilePay-PSP-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" under ' +
        'the whole secret>.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    tags: [...new Set(API_ROUTES.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { Error: jsonSchema(ERROR_SCHEMA, 'output') },
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'psk_… merchant API key' },
        adminKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'back-office key (ADMIN_API_KEY)',
        },
      },
    },
  };
}
