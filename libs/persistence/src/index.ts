export * from './prisma.service';
export * from './persistence.module';
export * from './repositories/api-key.repository';
export * from './repositories/attention.repository';
export * from './repositories/back-office.repository';
export * from './repositories/overview.repository';
export * from './repositories/idempotency.repository';
export * from './repositories/payment-operation.repository';
export * from './repositories/webhook.repository';
export * from './repositories/attempt.repository';
export * from './repositories/intake.repository';
export * from './repositories/epayment.repository';
export * from './repositories/merchant.repository';
export * from './repositories/operations.repository';
export * from './repositories/outbox.repository';
export * from './repositories/payment.repository';
export { eventSubject, type EventSubject } from './repositories/payment-events';
export type {
  Merchant,
  Payment,
  AuthorizationAttempt,
  OutboxMessage,
  ApiKey,
  PaymentEvent,
  PaymentOperation,
  PaymentStatus,
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookEndpoint,
} from './generated/prisma/client';
export * from './repositories/three-ds.repository';
export * from './repositories/invalidation.repository';
export * from './pos';
