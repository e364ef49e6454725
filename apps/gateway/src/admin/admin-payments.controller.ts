import {
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { parseQuery } from '../common/parse-body';
import { AdminAuthGuard } from '../merchants/auth.guard';
import type { DeliveryView } from '../webhooks/webhook.dto';
import { AdminPaymentsService } from './admin-payments.service';
import { type AdminPaymentDetail, adminPaymentsQuerySchema } from './back-office.view';

/** Back office: payments of every merchant, for the operators (and the console). */
@Controller('v1/admin')
@UseGuards(AdminAuthGuard)
export class AdminPaymentsController {
  constructor(private readonly payments: AdminPaymentsService) {}

  @Get('payments')
  search(@Query() query: unknown) {
    return this.payments.search(parseQuery(adminPaymentsQuerySchema, query));
  }

  @Get('payments/:id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<AdminPaymentDetail> {
    return this.payments.get(id);
  }

  @Post('events/:id/redeliver')
  @HttpCode(202)
  redeliver(@Param('id', ParseUUIDPipe) id: string): Promise<{ data: DeliveryView[] }> {
    return this.payments.redeliver(id);
  }
}
