import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ApiAuthGuard, ClientId } from './api-auth.guard';
import { ApiTrafficInterceptor } from './api-traffic.interceptor';
import { type MerchantDetails, MerchantsService } from './merchants.service';

@Controller('api/v1/merchants')
@UseGuards(ApiAuthGuard)
@UseInterceptors(ApiTrafficInterceptor)
export class MerchantsController {
  constructor(private readonly merchants: MerchantsService) {}

  @Post()
  @HttpCode(200)
  create(@ClientId() clientId: string, @Body() body: unknown): { merchantId: string } {
    return this.merchants.create(clientId, body);
  }

  @Get()
  list(@ClientId() clientId: string): { merchants: MerchantDetails[] } {
    return this.merchants.list(clientId);
  }

  @Get(':merchantId')
  get(@ClientId() clientId: string, @Param('merchantId') merchantId: string): MerchantDetails {
    return this.merchants.get(clientId, merchantId);
  }

  @Delete(':merchantId')
  @HttpCode(204)
  delete(@ClientId() clientId: string, @Param('merchantId') merchantId: string): void {
    this.merchants.delete(clientId, merchantId);
  }
}
