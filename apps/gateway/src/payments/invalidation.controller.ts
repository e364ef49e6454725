import { Controller, HttpCode, Param, ParseUUIDPipe, Post, Req, UseGuards } from '@nestjs/common';
import { type AuthenticatedRequest, MerchantAuthGuard } from '../merchants/auth.guard';
import { InvalidationService } from './invalidation.service';

@Controller('v1/payments')
@UseGuards(MerchantAuthGuard)
export class InvalidationController {
  constructor(private readonly invalidation: InvalidationService) {}

  /** The shopper changed the basket: this payment must not be accepted any more. */
  @Post(':id/invalidate')
  @HttpCode(200)
  invalidate(@Req() request: AuthenticatedRequest, @Param('id', ParseUUIDPipe) id: string) {
    return this.invalidation.invalidate(request.merchant, id);
  }
}
