import { apiKeyViewSchema, createApiKeySchema, issuedApiKeySchema } from '../merchants/api-key.dto';
import type { ApiRoute } from '../openapi/api-routes';
import { deliveryViewSchema, listOf } from '../webhooks/webhook.dto';
import {
  adminPaymentDetailSchema,
  adminPaymentListSchema,
  adminPaymentsQuerySchema,
  attentionActionSchema,
  attentionListSchema,
  overviewSchema,
} from './back-office.view';
import { merchantDirectorySchema } from './merchant-directory.service';

/** The admin read endpoints behind the operator console, in the OpenAPI document. */
export const BACK_OFFICE_ROUTES: readonly ApiRoute[] = [
  {
    method: 'get',
    path: '/v1/admin/payments',
    summary:
      'Search payments of every merchant (merchant, order id, MobilePay payment id, attempt id, status, dates)',
    tag: 'Admin',
    auth: 'admin',
    query: adminPaymentsQuerySchema,
    success: [200, adminPaymentListSchema],
  },
  {
    method: 'get',
    path: '/v1/admin/payments/{id}',
    summary:
      'One payment: amounts, attempts with their timeline against the PATCH deadline, reports, events and deliveries',
    tag: 'Admin',
    auth: 'admin',
    success: [200, adminPaymentDetailSchema],
    errors: [404],
  },
  {
    method: 'post',
    path: '/v1/admin/events/{id}/redeliver',
    summary:
      "Deliver an event again to every webhook endpoint of its merchant (the merchant's redeliver)",
    tag: 'Admin',
    auth: 'admin',
    success: [202, listOf(deliveryViewSchema)],
    errors: [404],
  },
  {
    method: 'get',
    path: '/v1/admin/attention',
    summary:
      'Needs attention: unknown outcomes, pending reversals, exhausted reports, failing webhook endpoints',
    tag: 'Admin',
    auth: 'admin',
    success: [200, attentionListSchema],
  },
  {
    method: 'post',
    path: '/v1/admin/attention/{action}/{id}',
    summary:
      'Resolve a needs-attention item: run_reversal (attempt id), retry_report (outbox id), retry_webhooks (endpoint id)',
    tag: 'Admin',
    auth: 'admin',
    success: [200, attentionActionSchema],
    errors: [404, 409],
  },
  {
    method: 'get',
    path: '/v1/admin/overview',
    summary:
      'The last hour per minute: callbacks/s, approval rate per acquirer, ack latency, callback → PATCH p99, queue depth',
    tag: 'Admin',
    auth: 'admin',
    success: [200, overviewSchema],
  },
  {
    method: 'get',
    path: '/v1/admin/merchants',
    summary: 'Every merchant with its onboarding state at MobilePay, routing and API keys',
    tag: 'Admin',
    auth: 'admin',
    success: [200, merchantDirectorySchema],
  },
  {
    method: 'post',
    path: '/v1/admin/merchants/{id}/api-keys',
    summary: 'Issue an API key for a merchant; the key is in the answer, once',
    tag: 'Admin',
    auth: 'admin',
    body: createApiKeySchema,
    success: [201, issuedApiKeySchema],
    errors: [404, 409],
  },
  {
    method: 'delete',
    path: '/v1/admin/merchants/{id}/api-keys/{keyId}',
    summary: "Revoke one of a merchant's API keys",
    tag: 'Admin',
    auth: 'admin',
    success: [200, apiKeyViewSchema],
    errors: [404, 409],
  },
];
