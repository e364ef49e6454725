import { randomBytes, randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { parseBody } from '../common/parse-body';

const AuthenticationRequest = z.object({
  reference: z.string().min(1).max(100),
  amount: z.number().int().positive(),
  currency: z.string().min(3).max(3),
  outcome: z.enum(['approve', 'reject']),
});

/**
 * The acquirer's 3-D Secure step (a directory server + ACS stand-in): the PSP's challenge page
 * reports what the cardholder did, and gets an EMV 3DS result — transStatus "Y" with an
 * authentication value (CAVV) and ECI when approved, "N" when not.
 */
@Controller('acquirer/v1/3ds')
export class AcquirerThreeDsController {
  readonly authentications = new Map<string, { transStatus: 'Y' | 'N'; at: string }>();

  @Post('authentications')
  @HttpCode(200)
  authenticate(@Body() body: unknown) {
    const request = parseBody(AuthenticationRequest, body);
    const approved = request.outcome === 'approve';
    this.authentications.set(request.reference, {
      transStatus: approved ? 'Y' : 'N',
      at: new Date().toISOString(),
    });
    return {
      transStatus: approved ? 'Y' : 'N',
      messageVersion: '2.2.0',
      dsTransID: randomUUID(),
      ...(approved ? { authenticationValue: randomBytes(20).toString('base64'), eci: '05' } : {}),
    };
  }
}
