import { Controller, Get, UseGuards } from '@nestjs/common';
import { AdminAuthGuard } from '../merchants/auth.guard';
import { type Overview, OverviewService } from './overview.service';

/** Back office: the last hour's traffic, outcomes and latencies (the console's overview). */
@Controller('v1/admin/overview')
@UseGuards(AdminAuthGuard)
export class OverviewController {
  constructor(private readonly overview: OverviewService) {}

  @Get()
  lastHour(): Promise<Overview> {
    return this.overview.lastHour();
  }
}
