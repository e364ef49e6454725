import { PosPaymentRepository } from './pos-payment.repository';
import { PosPointOfSaleRepository } from './pos-point-of-sale.repository';
import { PosRefundRepository } from './pos-refund.repository';

/** The in-store channel's repositories, provided by the gateway and the worker that use them. */
export const POS_REPOSITORIES = [
  PosPointOfSaleRepository,
  PosPaymentRepository,
  PosRefundRepository,
];
