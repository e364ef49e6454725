import { z } from 'zod';
import {
  CHECK_IN_NOTIFIED,
  eventSubject,
  PosPaymentStatus,
  PosRefundStatus,
  type PaymentEvent,
  type WebhookDelivery,
  type WebhookDeliveryAttempt,
  type WebhookEndpoint,
} from '@app/persistence';

export const listEventsQuerySchema = z
  .object({
    paymentId: z.uuid().optional(),
    limit: z
      .string()
      .regex(/^\d{1,3}$/)
      .refine((v) => Number(v) >= 1 && Number(v) <= 100, '1 to 100')
      .optional(),
  })
  .strict();

export const listDeliveriesQuerySchema = z
  .object({
    eventId: z.uuid().optional(),
    limit: z
      .string()
      .regex(/^\d{1,3}$/)
      .refine((v) => Number(v) >= 1 && Number(v) <= 100, '1 to 100')
      .optional(),
  })
  .strict();

export const EVENT_TYPES = [
  'payment.authorized',
  'payment.failed',
  'payment.expired',
  'payment.captured',
  'payment.refunded',
  'payment.cancelled',
  'payment.three_ds_required',
  'payment.address_received',
  // In-store (PoS v10): one per state an in-store payment or refund reaches.
  ...Object.values(PosPaymentStatus).map(
    (status) => `pos_payment.${status.toLowerCase()}` as const,
  ),
  ...Object.values(PosRefundStatus).map((status) => `pos_refund.${status.toLowerCase()}` as const),
  // MobilePay's notification service: a user checked in at a point of sale (callbackAlias).
  CHECK_IN_NOTIFIED,
] as const;

/** An endpoint's event filter: the types it is sent (each once); omitted or null: every type. */
const eventTypesSchema = z
  .array(z.enum(EVENT_TYPES))
  .min(1)
  .max(EVENT_TYPES.length)
  .refine((types) => new Set(types).size === types.length, 'each type once');

/** https (http to loopback outside production): checked by the service against the environment. */
export const createWebhookEndpointSchema = z
  .object({ url: z.string().url().max(2048), eventTypes: eventTypesSchema.nullable().optional() })
  .strict();

export const updateWebhookEndpointSchema = z
  .object({ eventTypes: eventTypesSchema.nullable() })
  .strict();

/** Longest overlap a rotation may ask for: 7 days. */
export const MAX_ROTATION_OVERLAP_SECONDS = 7 * 24 * 3600;
/** The old secret keeps signing for 24 hours unless the merchant says otherwise. */
export const DEFAULT_ROTATION_OVERLAP_SECONDS = 24 * 3600;

export const rotateWebhookSecretSchema = z
  .object({
    /** How long deliveries stay signed with the old secret too; 0 drops it at once. */
    overlapSeconds: z.number().int().min(0).max(MAX_ROTATION_OVERLAP_SECONDS).optional(),
  })
  .strict();

export const webhookEndpointViewSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  /** The event types sent to it; null: every type. */
  eventTypes: z.array(z.enum(EVENT_TYPES)).nullable(),
  /** Until when deliveries are also signed with the secret the last rotation replaced. */
  previousSecretExpiresAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});

export const createdWebhookEndpointSchema = webhookEndpointViewSchema.extend({
  /** Signing secret (`whsec_<base64>`, Standard Webhooks), shown this once. */
  secret: z.string(),
});

export const eventViewSchema = z.object({
  id: z.uuid(),
  type: z.enum(EVENT_TYPES),
  /** `online`: paymentId is under /v1/payments; `in_store`: under /v1/pos/payments. */
  channel: z.enum(['online', 'in_store']),
  /** The payment; null for a point of sale's event (then pointOfSaleId is set). */
  paymentId: z.uuid().nullable(),
  pointOfSaleId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  data: z.record(z.string(), z.unknown()),
});

export const deliveryViewSchema = z.object({
  id: z.uuid(),
  eventId: z.uuid(),
  endpointId: z.uuid(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  manual: z.boolean(),
  attempts: z.number().int(),
  nextAttemptAt: z.iso.datetime().nullable(),
  deliveredAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  log: z.array(
    z.object({
      attempt: z.number().int(),
      statusCode: z.number().int().nullable(),
      latencyMs: z.number().int(),
      error: z.string().nullable(),
      at: z.iso.datetime(),
    }),
  ),
});

export const listOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });

export type WebhookEndpointView = z.infer<typeof webhookEndpointViewSchema>;
export type CreatedWebhookEndpointView = z.infer<typeof createdWebhookEndpointSchema>;
export type EventView = z.infer<typeof eventViewSchema>;
export type DeliveryView = z.infer<typeof deliveryViewSchema>;

export function toEndpointView(
  endpoint: WebhookEndpoint,
  now: Date = new Date(),
): WebhookEndpointView {
  const overlap = endpoint.previousSecret ? endpoint.previousSecretExpiresAt : null;
  return {
    id: endpoint.id,
    url: endpoint.url,
    eventTypes:
      endpoint.eventTypes.length > 0
        ? (endpoint.eventTypes as WebhookEndpointView['eventTypes'])
        : null,
    previousSecretExpiresAt: overlap && overlap > now ? overlap.toISOString() : null,
    createdAt: endpoint.createdAt.toISOString(),
  };
}

export function toEventView(event: PaymentEvent): EventView {
  return {
    id: event.id,
    type: event.type as EventView['type'],
    ...eventSubject(event),
    createdAt: event.createdAt.toISOString(),
    data: (event.data ?? {}) as Record<string, unknown>,
  };
}

export function toDeliveryView(
  delivery: WebhookDelivery & { log?: WebhookDeliveryAttempt[] },
): DeliveryView {
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    endpointId: delivery.endpointId,
    status: delivery.status.toLowerCase() as DeliveryView['status'],
    manual: delivery.manual,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
    log: (delivery.log ?? []).map((entry) => ({
      attempt: entry.attemptNumber,
      statusCode: entry.statusCode,
      latencyMs: entry.latencyMs,
      error: entry.error,
      at: entry.at.toISOString(),
    })),
  };
}
