export * from './pos-point-of-sale.repository';
export * from './pos-payment.repository';
export * from './pos-refund.repository';
export * from './pos-persistence';
export type {
  PosPayment,
  PosPointOfSale,
  PosRefund,
  PosSettlement,
} from '../generated/prisma/client';
/** Values and types: the merchant-facing event types are derived from them. */
export { PosPaymentStatus, PosRefundStatus } from '../generated/prisma/enums';
