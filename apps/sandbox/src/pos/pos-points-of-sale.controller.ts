import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { Caller, PosApiGuard } from './pos-api.guard';
import { PosRetryAfterInterceptor } from './pos-retry-after.interceptor';
import { PosSimFaultsService } from './pos-sim-faults.service';
import type { PosCaller } from './pos-sim.model';
import { PosSimPointsOfSaleService } from './pos-sim-points-of-sale.service';

const IDEMPOTENCY_KEY = 'x-mobilepay-idempotency-key';

/** PoS v10 stores and points of sale. */
@Controller('pos/v10')
@UseGuards(PosApiGuard)
@UseInterceptors(PosRetryAfterInterceptor)
export class PosPointsOfSaleController {
  constructor(
    private readonly service: PosSimPointsOfSaleService,
    private readonly faults: PosSimFaultsService,
  ) {}

  @Get('stores')
  stores(@Caller() caller: PosCaller, @Query() query: unknown) {
    return this.faults.around('stores', () => ({
      storeIds: this.service.stores(caller, query).map((s) => s.storeId),
    }));
  }

  @Get('stores/detailed')
  detailedStores(@Caller() caller: PosCaller, @Query() query: unknown) {
    return this.faults.around('stores', () =>
      this.service.stores(caller, query).map(({ active: _active, merchantVat: _vat, ...s }) => s),
    );
  }

  @Get('stores/:storeId')
  store(@Caller() caller: PosCaller, @Param('storeId') storeId: string) {
    return this.faults.around('stores', () => {
      const {
        active: _active,
        merchantVat: _vat,
        ...store
      } = this.service.getStore(caller, storeId);
      return store;
    });
  }

  @Post('pointofsales')
  @HttpCode(200)
  create(
    @Caller() caller: PosCaller,
    @Body() body: unknown,
    @Headers(IDEMPOTENCY_KEY) key: unknown,
  ) {
    return this.faults.around('createPos', () => this.service.create(caller, body, key));
  }

  @Get('pointofsales')
  query(@Caller() caller: PosCaller, @Query() query: Record<string, string | undefined>) {
    return this.faults.around('queryPos', () => this.service.query(caller, query));
  }

  @Get('pointofsales/:posId')
  get(@Caller() caller: PosCaller, @Param('posId') posId: string) {
    return this.faults.around('getPos', () => this.service.view(this.service.get(caller, posId)));
  }

  @Delete('pointofsales/:posId')
  @HttpCode(204)
  delete(@Caller() caller: PosCaller, @Param('posId') posId: string) {
    return this.faults.around('deletePos', () => this.service.delete(caller, posId));
  }

  @Get('pointofsales/:posId/checkin')
  checkIn(@Caller() caller: PosCaller, @Param('posId') posId: string) {
    return this.faults.around('checkin', () => this.service.checkIn(caller, posId));
  }
}
