import {
  constants,
  createPublicKey,
  generateKeyPairSync,
  publicEncrypt,
  type KeyObject,
} from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { CardKeyRing } from './card-key-ring';

interface TestKey {
  privatePem: string;
  publicKey: KeyObject;
  publicPem: string;
}

function rsaKey(modulusLength: number): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength });
  return {
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    publicKey,
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }) as string,
  };
}

function encryptWithNode(key: TestKey, plaintext: Buffer, oaepHash = 'sha256'): Buffer {
  return publicEncrypt(
    { key: key.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash },
    plaintext,
  );
}

/** What MobilePay's (non-Node) side does: an independent OAEP-SHA256 implementation. */
function encryptWithForge(key: TestKey, plaintext: Buffer): Buffer {
  const publicKey = forge.pki.publicKeyFromPem(key.publicPem);
  const encrypted = publicKey.encrypt(plaintext.toString('binary'), 'RSA-OAEP', {
    md: forge.md.sha256.create(),
    mgf1: { md: forge.md.sha256.create() },
  });
  return Buffer.from(encrypted, 'binary');
}

const CARD_JSON = Buffer.from(
  '{"timestampticks":638396640000000001,"encryptedCardData":{"cardNumber":4571000000000000006,"expiryMonth":12,"expiryYear":2030}}',
);

describe('CardKeyRing', () => {
  const keyA = rsaKey(2048);
  const keyB = rsaKey(2048);
  const keyC = rsaKey(3072);
  let sut: CardKeyRing;

  beforeAll(async () => {
    sut = await CardKeyRing.fromPems(
      new Map([
        [263012, keyA.privatePem],
        [263013, keyB.privatePem],
        [263014, keyC.privatePem],
      ]),
      263013,
    );
  });

  it('decrypts RSA-OAEP-SHA256 produced by node:crypto', async () => {
    const ciphertext = encryptWithNode(keyA, CARD_JSON);
    expect(await sut.decrypt(263012, ciphertext)).toEqual(CARD_JSON);
  });

  it('decrypts RSA-OAEP-SHA256 produced by node-forge', async () => {
    const ciphertext = encryptWithForge(keyA, CARD_JSON);
    expect(ciphertext).toHaveLength(256);
    expect(await sut.decrypt(263012, ciphertext)).toEqual(CARD_JSON);
  });

  it('decrypts with the key that belongs to each id during a rotation', async () => {
    for (const [id, key] of [
      [263012, keyA],
      [263013, keyB],
      [263014, keyC],
    ] as const) {
      const plaintext = Buffer.from(`card data for key ${id}`);
      expect(await sut.decrypt(id, encryptWithNode(key, plaintext))).toEqual(plaintext);
      expect(await sut.decrypt(id, encryptWithForge(key, plaintext))).toEqual(plaintext);
    }
    expect(sut.ids().sort()).toEqual([263012, 263013, 263014]);
    expect(sut.activeKeyId).toBe(263013);
  });

  it('fails when a ciphertext is presented under another key id of the same size', async () => {
    const ciphertext = encryptWithNode(keyA, CARD_JSON);
    await expect(sut.decrypt(263013, ciphertext)).rejects.toThrow();
  });

  it('returns undefined for an unknown key id', async () => {
    expect(sut.has(999)).toBe(false);
    expect(await sut.decrypt(999, encryptWithNode(keyA, CARD_JSON))).toBeUndefined();
  });

  it.each([0, 17, 128, 255])('throws when ciphertext byte %i is flipped', async (index) => {
    const ciphertext = encryptWithNode(keyA, CARD_JSON);
    ciphertext[index] ^= 0x01;
    await expect(sut.decrypt(263012, ciphertext)).rejects.toThrow();
  });

  it('throws for a ciphertext of the wrong length', async () => {
    const ciphertext = encryptWithNode(keyA, CARD_JSON);
    await expect(sut.decrypt(263012, ciphertext.subarray(1))).rejects.toThrow();
    await expect(
      sut.decrypt(263012, Buffer.concat([ciphertext, Buffer.alloc(1)])),
    ).rejects.toThrow();
    await expect(sut.decrypt(263012, Buffer.alloc(0))).rejects.toThrow();
  });

  it('throws for OAEP with SHA-1 (the padding MobilePay does not use)', async () => {
    const ciphertext = encryptWithNode(keyA, CARD_JSON, 'sha1');
    await expect(sut.decrypt(263012, ciphertext)).rejects.toThrow();
  });

  it('throws for PKCS#1 v1.5 padding', async () => {
    const ciphertext = publicEncrypt(
      { key: keyA.publicKey, padding: constants.RSA_PKCS1_PADDING },
      CARD_JSON,
    );
    await expect(sut.decrypt(263012, ciphertext)).rejects.toThrow();
  });

  it('decrypts with a 4096-bit key, the size MobilePay asks for', async () => {
    const key4096 = rsaKey(4096);
    const ring = await CardKeyRing.fromPems(new Map([[1, key4096.privatePem]]), 1);
    const viaForge = encryptWithForge(key4096, CARD_JSON);
    expect(viaForge).toHaveLength(512);
    expect(await ring.decrypt(1, viaForge)).toEqual(CARD_JSON);
    expect(await ring.decrypt(1, encryptWithNode(key4096, CARD_JSON))).toEqual(CARD_JSON);
    await expect(ring.decrypt(1, encryptWithNode(keyA, CARD_JSON))).rejects.toThrow();
  }, 60_000);

  it('loads a PKCS#1 ("BEGIN RSA PRIVATE KEY") PEM as well', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pkcs1 = privateKey.export({ format: 'pem', type: 'pkcs1' }) as string;
    expect(pkcs1).toContain('BEGIN RSA PRIVATE KEY');
    const ring = await CardKeyRing.fromPems(new Map([[7, pkcs1]]), 7);
    const ciphertext = publicEncrypt(
      { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      CARD_JSON,
    );
    expect(await ring.decrypt(7, ciphertext)).toEqual(CARD_JSON);
  });

  describe('loading', () => {
    it('rejects an RSA key shorter than 2048 bits', async () => {
      const short = rsaKey(1024);
      await expect(CardKeyRing.fromPems(new Map([[5, short.privatePem]]), 5)).rejects.toThrow(
        /shorter than 2048/,
      );
    });

    it.each([
      ['EC P-256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey],
      ['Ed25519', () => generateKeyPairSync('ed25519').privateKey],
    ])('rejects a %s key', async (_name, make) => {
      const pem = make().export({ format: 'pem', type: 'pkcs8' }) as string;
      await expect(CardKeyRing.fromPems(new Map([[5, pem]]), 5)).rejects.toThrow(
        /not an RSA private key/,
      );
    });

    it('rejects a public key where a private key belongs', async () => {
      await expect(CardKeyRing.fromPems(new Map([[5, keyA.publicPem]]), 5)).rejects.toThrow();
    });

    it('rejects an active key id that is not in the ring', async () => {
      await expect(CardKeyRing.fromPems(new Map([[5, keyA.privatePem]]), 6)).rejects.toThrow(
        /active key 6/,
      );
    });

    it('reads PEM files from disk', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'card-key-ring-'));
      try {
        const path = join(dir, 'key.pem');
        writeFileSync(path, keyB.privatePem, { mode: 0o600 });
        const ring = await CardKeyRing.fromPemFiles(new Map([[42, path]]), 42);
        expect(await ring.decrypt(42, encryptWithForge(keyB, CARD_JSON))).toEqual(CARD_JSON);
        expect(createPublicKey(keyB.privatePem).export({ format: 'pem', type: 'spki' })).toBe(
          keyB.publicPem,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
