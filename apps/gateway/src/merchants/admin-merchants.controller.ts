import {
  Body,
  Controller,
  Delete,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  UseGuards,
} from '@nestjs/common';
import { parseBody } from '../common/parse-body';
import { AdminAuthGuard } from './auth.guard';
import { merchantRoutingSchema, onboardMerchantSchema } from './merchant.dto';
import { MerchantOnboardingService } from './merchant-onboarding.service';
import type { AdminMerchantView, MerchantView, OnboardedMerchant } from './merchant.view';

@Controller('v1/admin/merchants')
@UseGuards(AdminAuthGuard)
export class AdminMerchantsController {
  constructor(private readonly onboarding: MerchantOnboardingService) {}

  @Post()
  @HttpCode(201)
  onboard(@Body() body: unknown): Promise<OnboardedMerchant> {
    return this.onboarding.onboard(parseBody(onboardMerchantSchema, body));
  }

  @Patch(':id/routing')
  setRouting(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ): Promise<AdminMerchantView> {
    return this.onboarding.setRouting(id, parseBody(merchantRoutingSchema, body));
  }

  @Delete(':id')
  offboard(@Param('id', ParseUUIDPipe) id: string): Promise<MerchantView> {
    return this.onboarding.offboard(id);
  }
}
