import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

export interface GeneratedKeyPair {
  privateKeyPath: string;
  publicKeyPath: string;
  publicKeyPem: string;
}

/**
 * Generates an RSA key pair for MobilePay card data (default 4096 bits). The private key is
 * written readable by the owner only; the SPKI public key is named as MobilePay expects it:
 * `{integrator}-{env}-public.pem`.
 */
export function generateCardKeyPair(options: {
  integrator: string;
  env: string;
  outDir: string;
  bits?: number;
}): GeneratedKeyPair {
  if (!/^[a-z0-9-]+$/i.test(options.integrator) || !/^[a-z0-9-]+$/i.test(options.env)) {
    throw new Error('integrator and env may only hold letters, digits and dashes');
  }
  const bits = options.bits ?? 4096;
  // node-forge hands generation to Node's OpenSSL when it can, so this takes a second, not minutes.
  const pair = forge.pki.rsa.generateKeyPair({ bits, e: 0x10001 });
  const privateKeyPem = forge.pki.privateKeyInfoToPem(
    forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(pair.privateKey)),
  );
  const publicKeyPem = forge.pki.publicKeyToPem(pair.publicKey);
  mkdirSync(options.outDir, { recursive: true, mode: 0o700 });
  const base = `${options.integrator}-${options.env}`;
  const privateKeyPath = join(options.outDir, `${base}-private.pem`);
  const publicKeyPath = join(options.outDir, `${base}-public.pem`);
  writeFileSync(privateKeyPath, privateKeyPem, { mode: 0o600, flag: 'wx' });
  chmodSync(privateKeyPath, 0o600);
  writeFileSync(publicKeyPath, publicKeyPem, { mode: 0o644 });
  return { privateKeyPath, publicKeyPath, publicKeyPem };
}
