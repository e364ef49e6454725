import {
  Body,
  Controller,
  Delete,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  UseGuards,
} from '@nestjs/common';
import { parseBody } from '../common/parse-body';
import { AdminAuthGuard } from './auth.guard';
import { onboardMerchantSchema } from './merchant.dto';
import { MerchantOnboardingService } from './merchant-onboarding.service';
import type { MerchantView, OnboardedMerchant } from './merchant.view';

@Controller('v1/admin/merchants')
@UseGuards(AdminAuthGuard)
export class AdminMerchantsController {
  constructor(private readonly onboarding: MerchantOnboardingService) {}

  @Post()
  @HttpCode(201)
  onboard(@Body() body: unknown): Promise<OnboardedMerchant> {
    return this.onboarding.onboard(parseBody(onboardMerchantSchema, body));
  }

  @Delete(':id')
  offboard(@Param('id', ParseUUIDPipe) id: string): Promise<MerchantView> {
    return this.onboarding.offboard(id);
  }
}
