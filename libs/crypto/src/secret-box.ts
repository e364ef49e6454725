import { hkdfSync } from 'node:crypto';
import { CardDataSealer } from './card-data-sealer';

const FORMAT = 'sb1';

/**
 * Application secrets we must keep readable (a webhook endpoint's signing secret: we sign with it)
 * but never hold in clear at rest. AES-256-GCM under a key derived (HKDF-SHA256) from the seal key
 * for this one purpose, bound to the owning row's id so a value cannot be moved to another row.
 * Stored as one string: `sb1.<key id>.<iv>.<ciphertext>.<tag>` (base64url parts).
 */
export class SecretBox {
  private readonly sealer: CardDataSealer;

  /** `previousKeys`: seal keys from before a rotation; what they sealed still opens. */
  constructor(sealKey: Buffer, purpose: string, previousKeys: Buffer[] = []) {
    const derive = (key: Buffer) =>
      Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `psp:${purpose}`, 32));
    this.sealer = new CardDataSealer(derive(sealKey), previousKeys.map(derive));
  }

  static isSealed(value: string): boolean {
    return value.startsWith(`${FORMAT}.`);
  }

  /** Sealed with a previous key (or not sealed at all): worth sealing again with the current one. */
  isStale(value: string): boolean {
    return !SecretBox.isSealed(value) || !this.sealer.isCurrent(value.split('.')[1] ?? '');
  }

  seal(plaintext: string, boundTo: string): string {
    const blob = this.sealer.seal(Buffer.from(plaintext, 'utf8'), boundTo);
    return [FORMAT, blob.sealKeyId, blob.iv, blob.ciphertext, blob.authTag]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** Throws on a tampered value, the wrong row, or a key this process does not hold. */
  open(sealed: string, boundTo: string): string {
    const [format, sealKeyId, iv, ciphertext, authTag, ...rest] = sealed.split('.');
    if (format !== FORMAT || !sealKeyId || !iv || !ciphertext || !authTag || rest.length > 0) {
      throw new Error('not a sealed secret');
    }
    const fromB64 = (part: string) => Buffer.from(part, 'base64url');
    return this.sealer
      .unseal(
        { sealKeyId, iv: fromB64(iv), ciphertext: fromB64(ciphertext), authTag: fromB64(authTag) },
        boundTo,
      )
      .toString('utf8');
  }
}

/** The box for merchants' webhook signing secrets (a DI token of its own). */
export class WebhookSecretBox extends SecretBox {
  constructor(sealKey: Buffer, previousKeys: Buffer[] = []) {
    super(sealKey, 'webhook-signing-secret', previousKeys);
  }
}

/** The box for secrets inside responses kept for Idempotency-Key replays (a DI token of its own). */
export class IdempotencySecretBox extends SecretBox {
  constructor(sealKey: Buffer, previousKeys: Buffer[] = []) {
    super(sealKey, 'idempotent-response-secret', previousKeys);
  }
}
