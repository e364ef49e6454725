import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import { parseBody, parseQuery } from '../common/parse-body';
import type { IdempotentRequest } from '../idempotency/idempotency.interceptor';
import { type AuthenticatedRequest, MerchantAuthGuard } from '../merchants/auth.guard';
import { createPointOfSaleSchema, pointOfSaleQuerySchema, storeQuerySchema } from './pos.dto';
import { PosPointsOfSaleService } from './pos-points-of-sale.service';

/** In-store: the merchant's stores at MobilePay and its points of sale (registers). */
@Controller('v1/pos')
@UseGuards(MerchantAuthGuard)
export class PosPointsOfSaleController {
  constructor(private readonly service: PosPointsOfSaleService) {}

  @Get('stores')
  stores(@Req() request: AuthenticatedRequest, @Query() query: unknown) {
    return this.service.stores(request.merchant, parseQuery(storeQuerySchema, query));
  }

  @Get('stores/:storeId')
  store(@Req() request: AuthenticatedRequest, @Param('storeId', ParseUUIDPipe) storeId: string) {
    return this.service.store(request.merchant, storeId);
  }

  @Post('points-of-sale')
  @HttpCode(201)
  create(@Req() request: IdempotentRequest, @Body() body: unknown) {
    return this.service.create(
      request.merchant,
      parseBody(createPointOfSaleSchema, body),
      request.idempotency,
    );
  }

  @Get('points-of-sale')
  list(@Req() request: AuthenticatedRequest, @Query() query: unknown) {
    return this.service.list(request.merchant, parseQuery(pointOfSaleQuerySchema, query));
  }

  @Get('points-of-sale/:id')
  get(@Req() request: AuthenticatedRequest, @Param('id', ParseUUIDPipe) id: string) {
    return this.service.get(request.merchant, id);
  }

  @Delete('points-of-sale/:id')
  delete(@Req() request: AuthenticatedRequest, @Param('id', ParseUUIDPipe) id: string) {
    return this.service.delete(request.merchant, id);
  }

  @Get('points-of-sale/:id/checkin')
  checkIn(@Req() request: AuthenticatedRequest, @Param('id', ParseUUIDPipe) id: string) {
    return this.service.checkIn(request.merchant, id);
  }
}
