import { Body, Controller, Param, ParseUUIDPipe, Put, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { DomainError, ErrorCode } from '@app/domain';
import { EpaymentRepository, MerchantRepository } from '@app/persistence';
import { parseBody } from '../common/parse-body';
import { AdminAuthGuard } from '../merchants/auth.guard';

const epaymentIdentitySchema = z
  .object({
    /** The MSN Vipps MobilePay gave the merchant's sales unit (PSP Merchant API or portal). */
    merchantSerialNumber: z
      .string()
      .regex(/^\d{4,6}$/)
      .nullable(),
    /** Where new payments go; `EPAYMENT` needs an MSN. */
    paymentChannel: z.enum(['ONLINE', 'EPAYMENT']),
  })
  .strict()
  .refine((b) => b.paymentChannel === 'ONLINE' || b.merchantSerialNumber !== null, {
    path: ['merchantSerialNumber'],
    message: 'required for the EPAYMENT channel',
  });

/**
 * The merchant's ePayment identity next to its MobilePay Online one. The PSP Merchant API's
 * request schema is not published, so the MSN is entered here once Vipps MobilePay issued it.
 */
@Controller('v1/admin/merchants')
@UseGuards(AdminAuthGuard)
export class EpaymentMerchantController {
  constructor(
    private readonly merchants: MerchantRepository,
    private readonly epayment: EpaymentRepository,
  ) {}

  @Put(':id/epayment')
  async set(@Param('id', ParseUUIDPipe) id: string, @Body() body: unknown) {
    const { merchantSerialNumber, paymentChannel } = parseBody(epaymentIdentitySchema, body);
    if (!(await this.merchants.findById(id)))
      throw new DomainError(ErrorCode.NotFound, 'merchant not found');
    const merchant = await this.epayment.setMerchantEpayment(
      id,
      merchantSerialNumber,
      paymentChannel,
    );
    if (merchant === 'msn-taken')
      throw new DomainError(ErrorCode.ValidationFailed, 'the MSN belongs to another merchant', {
        issues: [{ path: 'merchantSerialNumber', rule: 'unique' }],
      });
    return {
      id: merchant.id,
      merchantSerialNumber: merchant.epaymentMsn,
      paymentChannel: merchant.paymentChannel,
    };
  }
}
