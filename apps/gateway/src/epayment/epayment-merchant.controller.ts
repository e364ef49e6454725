import { Body, Controller, Param, ParseUUIDPipe, Patch, UseGuards } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/domain';
import { EpaymentRepository, MerchantRepository } from '@app/persistence';
import { parseBody } from '../common/parse-body';
import { AdminAuthGuard } from '../merchants/auth.guard';
import { epaymentIdentitySchema } from './epayment.dto';

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

  @Patch(':id/epayment')
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
