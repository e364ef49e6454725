import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import { parseBody } from '../common/parse-body';
import { type AuthenticatedRequest, MerchantAuthGuard } from '../merchants/auth.guard';
import {
  type CreatedWebhookEndpointView,
  type WebhookEndpointView,
  createWebhookEndpointSchema,
  rotateWebhookSecretSchema,
  updateWebhookEndpointSchema,
} from './webhook.dto';
import { WebhooksService } from './webhooks.service';

@Controller('v1/webhook-endpoints')
@UseGuards(MerchantAuthGuard)
export class WebhookEndpointsController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @HttpCode(201)
  create(
    @Req() request: AuthenticatedRequest,
    @Body() body: unknown,
  ): Promise<CreatedWebhookEndpointView> {
    const { url, eventTypes } = parseBody(createWebhookEndpointSchema, body);
    return this.webhooks.createEndpoint(request.merchant.id, url, eventTypes);
  }

  @Get()
  list(@Req() request: AuthenticatedRequest): Promise<{ data: WebhookEndpointView[] }> {
    return this.webhooks.listEndpoints(request.merchant.id);
  }

  @Get(':id')
  get(
    @Req() request: AuthenticatedRequest,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<WebhookEndpointView> {
    return this.webhooks.getEndpoint(request.merchant.id, id);
  }

  @Patch(':id')
  update(
    @Req() request: AuthenticatedRequest,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ): Promise<WebhookEndpointView> {
    const { eventTypes } = parseBody(updateWebhookEndpointSchema, body);
    return this.webhooks.updateEventTypes(request.merchant.id, id, eventTypes);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  rotateSecret(
    @Req() request: AuthenticatedRequest,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ): Promise<CreatedWebhookEndpointView> {
    const { overlapSeconds } = parseBody(rotateWebhookSecretSchema, body ?? {});
    return this.webhooks.rotateSecret(request.merchant.id, id, overlapSeconds);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(
    @Req() request: AuthenticatedRequest,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    return this.webhooks.deleteEndpoint(request.merchant.id, id);
  }
}
