import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface SealedBlob {
  sealKeyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  authTag: Buffer;
}

/**
 * AES-256-GCM envelope for card data at rest. The data key comes from configuration (a secret that
 * is never stored in Postgres or Redis); the attempt id is bound in as associated data so a sealed
 * blob cannot be moved to another attempt. Previous keys may be given to unseal during rotation.
 */
export class CardDataSealer {
  private readonly keys = new Map<string, Buffer>();
  private readonly currentKeyId: string;

  constructor(currentKey: Buffer, previousKeys: Buffer[] = []) {
    this.currentKeyId = CardDataSealer.keyId(currentKey);
    for (const key of [currentKey, ...previousKeys]) {
      if (key.length !== 32) throw new Error('seal keys must be 32 bytes');
      this.keys.set(CardDataSealer.keyId(key), key);
    }
  }

  /** A short public fingerprint of a key, stored next to each blob to pick the key for unsealing. */
  static keyId(key: Buffer): string {
    return createHash('sha256')
      .update('card-data-seal-key:')
      .update(key)
      .digest('hex')
      .slice(0, 16);
  }

  /** Whether a blob was sealed with the current key (else: re-seal it while a previous key opens it). */
  isCurrent(sealKeyId: string): boolean {
    return sealKeyId === this.currentKeyId;
  }

  seal(plaintext: Buffer, boundTo: string): SealedBlob {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { sealKeyId: this.currentKeyId, iv, ciphertext, authTag: cipher.getAuthTag() };
  }

  unseal(blob: SealedBlob, boundTo: string): Buffer {
    const key = this.keys.get(blob.sealKeyId);
    if (!key) throw new Error(`seal key ${blob.sealKeyId} is not configured`);
    const decipher = createDecipheriv('aes-256-gcm', key, blob.iv, { authTagLength: 16 });
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(blob.authTag);
    return Buffer.concat([decipher.update(blob.ciphertext), decipher.final()]);
  }
}
