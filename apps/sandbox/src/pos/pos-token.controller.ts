import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { PosSimAuthService } from './pos-sim-auth.service';
import { PosSimFaultsService } from './pos-sim-faults.service';

/** Integrator Authentication API: `POST /connect/token` (client credentials). */
@Controller('integrator-authentication')
export class PosTokenController {
  constructor(
    private readonly auth: PosSimAuthService,
    private readonly faults: PosSimFaultsService,
  ) {}

  @Post('connect/token')
  @HttpCode(200)
  token(@Headers('authorization') authorization: string | undefined, @Body() body: unknown) {
    return this.faults.around('token', () => this.auth.issueToken(authorization, formFields(body)));
  }
}

/**
 * The sandbox keeps `application/x-www-form-urlencoded` bodies as their raw string (the Clearhaus
 * simulator verifies signatures over the exact bytes); the token endpoint reads them as fields.
 */
function formFields(body: unknown): Record<string, unknown> | undefined {
  if (typeof body === 'string') return Object.fromEntries(new URLSearchParams(body));
  return body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : undefined;
}
