import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { SandboxConfig } from '@app/config';
import { badRequest } from '../common/sandbox-error';
import { SANDBOX_CONFIG } from '../sandbox.tokens';

const MIN_MODULUS_BITS = 2048;

export interface PublicKeyInfo {
  publicKeyId: number;
  modulusLength: number;
}

/**
 * The PSP's public keys, as MobilePay holds them after onboarding. Kept across `reset`: they are
 * configuration, not payment state.
 */
@Injectable()
export class PublicKeysStore implements OnModuleInit {
  private readonly logger = new Logger(PublicKeysStore.name);
  private readonly keys = new Map<number, { key: KeyObject; modulusLength: number }>();

  constructor(@Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig) {}

  onModuleInit(): void {
    for (const [publicKeyId, path] of this.config.publicKeyFiles) {
      this.register(publicKeyId, readFileSync(path, 'utf8'));
    }
  }

  /** Accepts an SPKI PEM (or a private key PEM, whose public half is used); RSA ≥ 2048 bits only. */
  register(publicKeyId: number, pem: string): PublicKeyInfo {
    if (!Number.isInteger(publicKeyId) || publicKeyId <= 0 || publicKeyId > 2_147_483_647) {
      throw badRequest('publicKeyId must be a positive int32');
    }
    let key: KeyObject;
    try {
      key = createPublicKey(pem);
    } catch {
      throw badRequest('publicKeyPem is not a PEM-encoded public key');
    }
    const modulusLength = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (key.asymmetricKeyType !== 'rsa') throw badRequest('only RSA keys are accepted');
    if (modulusLength < MIN_MODULUS_BITS) {
      throw badRequest(`RSA key must be at least ${MIN_MODULUS_BITS} bits (RSA-4096 expected)`);
    }
    this.keys.set(publicKeyId, { key, modulusLength });
    this.logger.log(`registered public key ${publicKeyId} (RSA-${modulusLength})`);
    return { publicKeyId, modulusLength };
  }

  get(publicKeyId: number): KeyObject | undefined {
    return this.keys.get(publicKeyId)?.key;
  }

  list(): PublicKeyInfo[] {
    return [...this.keys].map(([publicKeyId, { modulusLength }]) => ({
      publicKeyId,
      modulusLength,
    }));
  }
}
