import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import { parseBody } from '../common/parse-body';
import {
  type ApiKeyView,
  type IssuedApiKeyView,
  type RotatedApiKeyView,
  createApiKeySchema,
  rotateApiKeySchema,
} from './api-key.dto';
import { ApiKeysService } from './api-keys.service';
import { type AuthenticatedRequest, MerchantAuthGuard } from './auth.guard';

@Controller('v1/api-keys')
@UseGuards(MerchantAuthGuard)
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @HttpCode(201)
  create(@Req() request: AuthenticatedRequest, @Body() body: unknown): Promise<IssuedApiKeyView> {
    return this.keys.create(
      request.merchant.id,
      request.apiKey,
      parseBody(createApiKeySchema, body ?? {}),
    );
  }

  @Get()
  list(@Req() request: AuthenticatedRequest): Promise<{ data: ApiKeyView[] }> {
    return this.keys.list(request.merchant.id);
  }

  @Delete(':id')
  revoke(
    @Req() request: AuthenticatedRequest,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ApiKeyView> {
    return this.keys.revoke(request.merchant.id, id);
  }

  @Post(':id/rotate')
  @HttpCode(201)
  rotate(
    @Req() request: AuthenticatedRequest,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ): Promise<RotatedApiKeyView> {
    return this.keys.rotate(
      request.merchant.id,
      request.apiKey,
      id,
      parseBody(rotateApiKeySchema, body ?? {}),
    );
  }
}
