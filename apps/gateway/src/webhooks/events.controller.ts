import {
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import { parseQuery } from '../common/parse-body';
import { type AuthenticatedRequest, MerchantAuthGuard } from '../merchants/auth.guard';
import {
  type DeliveryView,
  type EventView,
  listDeliveriesQuerySchema,
  listEventsQuerySchema,
} from './webhook.dto';
import { WebhooksService } from './webhooks.service';

/** The merchant's payment events and their webhook deliveries. */
@Controller('v1')
@UseGuards(MerchantAuthGuard)
export class EventsController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get('events')
  list(
    @Req() request: AuthenticatedRequest,
    @Query() query: unknown,
  ): Promise<{ data: EventView[] }> {
    return this.webhooks.listEvents(request.merchant.id, parseQuery(listEventsQuerySchema, query));
  }

  @Get('events/:id')
  get(
    @Req() request: AuthenticatedRequest,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<EventView> {
    return this.webhooks.getEvent(request.merchant.id, id);
  }

  @Post('events/:id/redeliver')
  @HttpCode(202)
  redeliver(
    @Req() request: AuthenticatedRequest,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<{ data: DeliveryView[] }> {
    return this.webhooks.redeliver(request.merchant.id, id);
  }

  @Get('webhook-deliveries')
  deliveries(
    @Req() request: AuthenticatedRequest,
    @Query() query: unknown,
  ): Promise<{ data: DeliveryView[] }> {
    return this.webhooks.listDeliveries(
      request.merchant.id,
      parseQuery(listDeliveriesQuerySchema, query),
    );
  }
}
