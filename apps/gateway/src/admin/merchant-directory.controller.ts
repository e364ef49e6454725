import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  UseGuards,
} from '@nestjs/common';
import { parseBody } from '../common/parse-body';
import {
  createApiKeySchema,
  type ApiKeyView,
  type IssuedApiKeyView,
} from '../merchants/api-key.dto';
import { AdminAuthGuard } from '../merchants/auth.guard';
import { MerchantDirectoryService } from './merchant-directory.service';

/** Back office: the merchant list and each merchant's API keys (created keys are shown once). */
@Controller('v1/admin/merchants')
@UseGuards(AdminAuthGuard)
export class MerchantDirectoryController {
  constructor(private readonly directory: MerchantDirectoryService) {}

  @Get()
  list() {
    return this.directory.list();
  }

  @Post(':id/api-keys')
  @HttpCode(201)
  createKey(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ): Promise<IssuedApiKeyView> {
    return this.directory.createKey(id, parseBody(createApiKeySchema, body ?? {}));
  }

  @Delete(':id/api-keys/:keyId')
  revokeKey(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('keyId', ParseUUIDPipe) keyId: string,
  ): Promise<ApiKeyView> {
    return this.directory.revokeKey(id, keyId);
  }
}
