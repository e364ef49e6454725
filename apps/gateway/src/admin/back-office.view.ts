import { z } from 'zod';
import type { BackOfficePaymentDetail } from '@app/persistence';
import { PAYMENT_STATUSES } from '../payments/payment.dto';
import { attemptTimeline } from './attempt-timeline';

const uuid = z.string().regex(/^[0-9a-f-]{36}$/i, 'a UUID');

/** GET /v1/admin/payments: every filter optional, a cursor for the next page. */
export const adminPaymentsQuerySchema = z
  .object({
    merchantId: uuid.optional(),
    orderId: z.string().min(1).max(50).optional(),
    mobilePayPaymentId: uuid.optional(),
    attemptId: uuid.optional(),
    status: z.enum(PAYMENT_STATUSES).optional(),
    /** Inclusive lower bound of createdAt (ISO 8601). */
    createdFrom: z.iso.datetime({ offset: true }).optional(),
    /** Exclusive upper bound of createdAt (ISO 8601). */
    createdTo: z.iso.datetime({ offset: true }).optional(),
    limit: z
      .string()
      .regex(/^\d{1,3}$/)
      .refine((v) => Number(v) >= 1 && Number(v) <= 100, '1 to 100')
      .optional(),
    cursor: z.string().min(1).max(200).optional(),
  })
  .strict();

export type AdminPaymentsQuery = z.infer<typeof adminPaymentsQuerySchema>;

const merchantSummary = z.object({ id: uuid, name: z.string(), externalId: z.string() });
const time = z.iso.datetime();

export const adminPaymentRowSchema = z.object({
  id: uuid,
  merchant: merchantSummary,
  orderId: z.string(),
  mobilePayPaymentId: uuid.nullable(),
  status: z.enum(PAYMENT_STATUSES),
  /** Minor units, like every amount here. */
  amount: z.number().int(),
  currency: z.string(),
  createdAt: time,
  lastAttempt: z
    .object({
      id: uuid,
      status: z.string(),
      cardType: z.string(),
      /** First 6 and last 4 digits only. */
      maskedCardNumber: z.string().nullable(),
    })
    .nullable(),
});

export const adminPaymentListSchema = z.object({
  data: z.array(adminPaymentRowSchema),
  nextCursor: z.string().nullable(),
});

const timelineEntrySchema = z.object({
  step: z.string(),
  label: z.string(),
  at: time,
  offsetMs: z.number().int(),
  detail: z.string().nullable(),
});

const attemptDetailSchema = z.object({
  id: uuid,
  status: z.string(),
  kind: z.enum(['PAN', 'NETWORK_TOKEN']),
  cardType: z.string(),
  maskedCardNumber: z.string().nullable(),
  tokenMethod: z.string().nullable(),
  acquirer: z.string().nullable(),
  acquirerReference: z.string().nullable(),
  reasonCode: z.number().int().nullable(),
  reasonMessage: z.string().nullable(),
  callbackReceivedAt: time,
  deadlineAt: time,
  patchedAt: time.nullable(),
  reversalRequiredAt: time.nullable(),
  reversedAt: time.nullable(),
  timeline: z.object({
    deadlineOffsetMs: z.number().int(),
    entries: z.array(timelineEntrySchema),
  }),
});

const reportSchema = z.object({
  id: uuid,
  kind: z.string(),
  attemptId: uuid.nullable(),
  status: z.enum(['PENDING', 'SENT', 'DEAD']),
  tries: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: time,
  sentAt: time.nullable(),
});

const deliverySchema = z.object({
  id: uuid,
  endpointUrl: z.string(),
  status: z.enum(['PENDING', 'SUCCEEDED', 'FAILED']),
  manual: z.boolean(),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: time,
  deliveredAt: time.nullable(),
  log: z.array(
    z.object({
      attemptNumber: z.number().int(),
      statusCode: z.number().int().nullable(),
      latencyMs: z.number().int(),
      error: z.string().nullable(),
      at: time,
    }),
  ),
});

export const adminPaymentDetailSchema = adminPaymentRowSchema.omit({ lastAttempt: true }).extend({
  pspReferenceId: z.string(),
  expiresAt: time,
  amounts: z.object({
    authorized: z.number().int(),
    captured: z.number().int(),
    refunded: z.number().int(),
    cancelled: z.number().int(),
  }),
  attempts: z.array(attemptDetailSchema),
  operations: z.array(
    z.object({
      id: uuid,
      kind: z.string(),
      amount: z.number().int(),
      status: z.string(),
      acquirer: z.string(),
      failureReason: z.string().nullable(),
      createdAt: time,
      completedAt: time.nullable(),
    }),
  ),
  reports: z.array(reportSchema),
  events: z.array(
    z.object({
      id: uuid,
      type: z.string(),
      createdAt: time,
      dispatchedAt: time.nullable(),
      deliveries: z.array(deliverySchema),
    }),
  ),
});

export type AdminPaymentDetail = z.infer<typeof adminPaymentDetailSchema>;
export type Report = z.infer<typeof reportSchema>;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** The payment's whole story for an operator; card data only as the masked PAN. */
export function toAdminPaymentDetail(
  payment: BackOfficePaymentDetail,
  reports: Report[],
): AdminPaymentDetail {
  const patchesOf = (attemptId: string) =>
    reports
      .filter((r) => r.attemptId === attemptId && r.kind === 'PATCH_AUTHORIZATION_ATTEMPT')
      .map((r) => ({
        createdAt: new Date(r.createdAt),
        sentAt: r.sentAt ? new Date(r.sentAt) : null,
        status: r.status,
        tries: r.tries,
      }));
  return {
    id: payment.id,
    merchant: payment.merchant,
    orderId: payment.merchantOrderId,
    mobilePayPaymentId: payment.mobilePayPaymentId,
    pspReferenceId: payment.pspReferenceId,
    status: payment.status,
    amount: Number(payment.amount),
    currency: payment.currency,
    createdAt: payment.createdAt.toISOString(),
    expiresAt: payment.expiresAt.toISOString(),
    amounts: {
      authorized: Number(payment.authorizedAmount),
      captured: Number(payment.capturedAmount),
      refunded: Number(payment.refundedAmount),
      cancelled: Number(payment.cancelledAmount),
    },
    attempts: payment.attempts.map((a) => ({
      id: a.id,
      status: a.status,
      kind: a.kind,
      cardType: a.cardType,
      maskedCardNumber: a.maskedCardNumber,
      tokenMethod: a.tokenMethod,
      acquirer: a.acquirer,
      acquirerReference: a.acquirerReference,
      reasonCode: a.reasonCode,
      reasonMessage: a.reasonMessage,
      callbackReceivedAt: a.callbackReceivedAt.toISOString(),
      deadlineAt: a.deadlineAt.toISOString(),
      patchedAt: iso(a.patchedAt),
      reversalRequiredAt: iso(a.reversalRequiredAt),
      reversedAt: iso(a.reversedAt),
      timeline: attemptTimeline({ ...a, patches: patchesOf(a.id) }),
    })),
    operations: payment.operations.map((o) => ({
      id: o.id,
      kind: o.kind,
      amount: Number(o.amount),
      status: o.status,
      acquirer: o.acquirer,
      failureReason: o.failureReason,
      createdAt: o.createdAt.toISOString(),
      completedAt: iso(o.completedAt),
    })),
    reports,
    events: payment.events.map((e) => ({
      id: e.id,
      type: e.type,
      createdAt: e.createdAt.toISOString(),
      dispatchedAt: iso(e.dispatchedAt),
      deliveries: e.deliveries.map((d) => ({
        id: d.id,
        endpointUrl: d.endpoint.url,
        status: d.status,
        manual: d.manual,
        attempts: d.attempts,
        lastStatusCode: d.lastStatusCode,
        lastError: d.lastError,
        createdAt: d.createdAt.toISOString(),
        deliveredAt: iso(d.deliveredAt),
        log: d.log.map((l) => ({
          attemptNumber: l.attemptNumber,
          statusCode: l.statusCode,
          latencyMs: l.latencyMs,
          error: l.error,
          at: l.at.toISOString(),
        })),
      })),
    })),
  };
}

export const attentionListSchema = z.object({
  data: z.array(
    z.object({
      kind: z.enum([
        'unknown_outcome',
        'pending_reversal',
        'exhausted_report',
        'failing_webhook_endpoint',
      ]),
      /** The attempt, operation, outbox report or webhook endpoint the item is about. */
      id: uuid,
      paymentId: uuid.nullable(),
      title: z.string(),
      detail: z.string(),
      since: time,
      /** POST /v1/admin/attention/{action}/{id} resolves it; null: no safe action (see the runbook). */
      action: z.enum(['run_reversal', 'retry_report', 'retry_webhooks']).nullable(),
    }),
  ),
});

export const attentionActionSchema = z.object({
  status: z.literal('queued'),
  queued: z.number().int(),
});

const series = z.array(z.number().nullable());

export const overviewSchema = z.object({
  generatedAt: time,
  patchDeadlineMs: z.number().int(),
  /** Start of each of the last 60 minutes; every series has one value per minute. */
  minutes: z.array(time),
  callbacksPerSecond: z.array(z.number()),
  /** Share of finally patched attempts that succeeded, per acquirer. */
  approvalRate: z.record(z.string(), series),
  /** Callback ack latency of the gateway replica that answers. */
  ackLatency: z.object({ p50Ms: series, p99Ms: series }),
  callbackToPatch: z.object({ p99Ms: series, maxMs: series }),
  queueDepth: z.array(z.object({ at: time, depth: z.record(z.string(), z.number().int()) })),
});
