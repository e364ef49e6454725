import { Body, Controller, Get, Post } from '@nestjs/common';
import { z } from 'zod';
import { parseBody } from '../common/parse-body';
import { type PublicKeyInfo, PublicKeysStore } from './public-keys.store';

const RegisterPublicKey = z.object({ publicKeyId: z.number().int(), publicKeyPem: z.string() });

/** Stands in for the PSP onboarding step where the PSP hands MobilePay its public keys. */
@Controller('sandbox/v1/public-keys')
export class PublicKeysController {
  constructor(private readonly keys: PublicKeysStore) {}

  @Post()
  register(@Body() body: unknown): PublicKeyInfo {
    const { publicKeyId, publicKeyPem } = parseBody(RegisterPublicKey, body);
    return this.keys.register(publicKeyId, publicKeyPem);
  }

  @Get()
  list(): { publicKeyIds: number[]; keys: PublicKeyInfo[] } {
    const keys = this.keys.list();
    return { publicKeyIds: keys.map((k) => k.publicKeyId), keys };
  }
}
