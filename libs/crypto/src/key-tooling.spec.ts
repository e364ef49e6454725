import { constants, createPublicKey, publicEncrypt } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CardKeyRing } from './card-key-ring';
import { generateCardKeyPair } from './key-tooling';

describe('generateCardKeyPair', () => {
  let outDir: string;

  beforeEach(() => {
    outDir = join(mkdtempSync(join(tmpdir(), 'key-tooling-')), 'keys');
  });

  afterEach(() => {
    rmSync(join(outDir, '..'), { recursive: true, force: true });
  });

  it('writes an owner-only private key and an SPKI public key named for MobilePay', async () => {
    const pair = generateCardKeyPair({ integrator: 'acme', env: 'test', outDir, bits: 2048 });

    expect(pair.publicKeyPath).toBe(join(outDir, 'acme-test-public.pem'));
    expect(statSync(pair.privateKeyPath).mode & 0o777).toBe(0o600);
    expect(pair.privateKeyPath.startsWith(outDir)).toBe(true);

    const publicPem = readFileSync(pair.publicKeyPath, 'utf8');
    expect(publicPem).toBe(pair.publicKeyPem);
    expect(publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const publicKey = createPublicKey({ key: publicPem, format: 'pem', type: 'spki' });
    expect(publicKey.asymmetricKeyType).toBe('rsa');
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(readFileSync(pair.privateKeyPath, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(publicPem).not.toContain('PRIVATE');

    const ring = await CardKeyRing.fromPemFiles(new Map([[263012, pair.privateKeyPath]]), 263012);
    const plaintext = Buffer.from('{"encryptedCardData":{}}');
    const ciphertext = publicEncrypt(
      { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      plaintext,
    );
    expect(await ring.decrypt(263012, ciphertext)).toEqual(plaintext);
  });

  it('refuses to overwrite an existing private key', () => {
    const first = generateCardKeyPair({ integrator: 'acme', env: 'prod', outDir, bits: 2048 });
    const privateBefore = readFileSync(first.privateKeyPath, 'utf8');

    expect(() =>
      generateCardKeyPair({ integrator: 'acme', env: 'prod', outDir, bits: 2048 }),
    ).toThrow();
    expect(readFileSync(first.privateKeyPath, 'utf8')).toBe(privateBefore);
    expect(readFileSync(first.publicKeyPath, 'utf8')).toBe(first.publicKeyPem);
  });

  it.each(['acme/../../etc', '../acme', 'acme corp', '', 'acme_pay', 'acme.test', 'acme\n'])(
    'rejects the integrator name %p without writing anything',
    (integrator) => {
      expect(() => generateCardKeyPair({ integrator, env: 'test', outDir, bits: 2048 })).toThrow(
        /letters, digits and dashes/,
      );
      expect(existsSync(outDir)).toBe(false);
    },
  );

  it('rejects a bad env name', () => {
    expect(() =>
      generateCardKeyPair({ integrator: 'acme', env: '../prod', outDir, bits: 2048 }),
    ).toThrow(/letters, digits and dashes/);
  });
});
