import { Controller, Get, Inject } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { buildOpenApiDocument } from './openapi-document';

@Controller('v1/openapi.json')
export class OpenApiController {
  private readonly document: Record<string, unknown>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.document = buildOpenApiDocument(config.publicBaseUrl);
  }

  @Get()
  get(): Record<string, unknown> {
    return this.document;
  }
}
