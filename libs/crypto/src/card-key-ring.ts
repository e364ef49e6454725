import { createPrivateKey, type KeyObject, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';

const OAEP = { name: 'RSA-OAEP', hash: 'SHA-256' } as const;

interface LoadedKey {
  readonly id: number;
  readonly bits: number;
  readonly decryptKey: webcrypto.CryptoKey;
}

/**
 * The PSP's RSA private keys, indexed by MobilePay's PublicKeyId. Several are live during a
 * rotation. Keys are parsed once at boot; decryption runs through WebCrypto, which does the RSA
 * operation on libuv's thread pool and so never stalls the event loop.
 */
export class CardKeyRing {
  private constructor(
    private readonly keys: ReadonlyMap<number, LoadedKey>,
    readonly activeKeyId: number,
  ) {}

  static async fromPemFiles(
    paths: ReadonlyMap<number, string>,
    activeKeyId: number,
  ): Promise<CardKeyRing> {
    const pems = new Map<number, string>();
    for (const [id, path] of paths) pems.set(id, readFileSync(path, 'utf8'));
    return CardKeyRing.fromPems(pems, activeKeyId);
  }

  static async fromPems(
    pems: ReadonlyMap<number, string>,
    activeKeyId: number,
  ): Promise<CardKeyRing> {
    const keys = new Map<number, LoadedKey>();
    for (const [id, pem] of pems) {
      const keyObject = createPrivateKey(pem);
      keys.set(id, await load(id, keyObject));
    }
    if (!keys.has(activeKeyId)) throw new Error(`active key ${activeKeyId} is not in the key ring`);
    return new CardKeyRing(keys, activeKeyId);
  }

  has(publicKeyId: number): boolean {
    return this.keys.has(publicKeyId);
  }

  ids(): number[] {
    return [...this.keys.keys()];
  }

  /** Returns the plaintext, or undefined for an unknown key id; throws when decryption fails. */
  async decrypt(publicKeyId: number, ciphertext: Buffer): Promise<Buffer | undefined> {
    const key = this.keys.get(publicKeyId);
    if (!key) return undefined;
    if (ciphertext.length !== key.bits / 8) throw new Error('ciphertext length does not match key');
    return Buffer.from(await webcrypto.subtle.decrypt(OAEP, key.decryptKey, ciphertext));
  }
}

async function load(id: number, keyObject: KeyObject): Promise<LoadedKey> {
  const details = keyObject.asymmetricKeyDetails;
  if (keyObject.asymmetricKeyType !== 'rsa' || !details?.modulusLength) {
    throw new Error(`card key ${id} is not an RSA private key`);
  }
  if (details.modulusLength < 2048) throw new Error(`card key ${id} is shorter than 2048 bits`);
  const der = keyObject.export({ format: 'der', type: 'pkcs8' });
  const decryptKey = await webcrypto.subtle.importKey('pkcs8', der, OAEP, false, ['decrypt']);
  return { id, bits: details.modulusLength, decryptKey };
}
