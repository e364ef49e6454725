import { DomainError, ErrorCode } from '@app/domain';
import { MERCHANT_VAT } from './pos-formats';
import type { PosCallContext } from './pos.client';

/** PoS v10 identifies the merchant by VAT number: DK or FI and 8 digits. */
export function posContext(
  merchant: { vatNumber: string },
  correlationId?: string,
): PosCallContext {
  const merchantVat = merchant.vatNumber.replace(/\s+/g, '').toUpperCase();
  if (!MERCHANT_VAT.test(merchantVat)) {
    throw new DomainError(
      ErrorCode.OperationNotSupported,
      'in-store payments need a Danish or Finnish VAT number (DK/FI and 8 digits)',
    );
  }
  return { merchantVat, correlationId };
}
