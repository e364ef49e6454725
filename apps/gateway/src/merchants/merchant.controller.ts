import { Body, Controller, Get, Patch, Req, UseGuards } from '@nestjs/common';
import { parseBody } from '../common/parse-body';
import { type AuthenticatedRequest, MerchantAuthGuard } from './auth.guard';
import { updateMerchantSchema } from './merchant.dto';
import { MerchantProfileService } from './merchant-profile.service';
import type { MerchantView } from './merchant.view';

/** The calling merchant's own profile. */
@Controller('v1/merchant')
@UseGuards(MerchantAuthGuard)
export class MerchantController {
  constructor(private readonly profile: MerchantProfileService) {}

  @Get()
  get(@Req() request: AuthenticatedRequest): MerchantView {
    return this.profile.get(request.merchant);
  }

  @Patch()
  update(@Req() request: AuthenticatedRequest, @Body() body: unknown): Promise<MerchantView> {
    return this.profile.update(request.merchant, parseBody(updateMerchantSchema, body));
  }
}
