import { createPrivateKey, sign, type KeyObject } from 'node:crypto';

/** Form parameters with Clearhaus' bracket names (`mobilepayonline[pan]`), in sending order. */
export type ClearhausParams = ReadonlyArray<readonly [string, string]>;

/**
 * `application/x-www-form-urlencoded` as the docs write it: bracket names left as they are
 * (`card[pan]=…`, the body their signature example signs), values percent-encoded.
 */
export function encodeForm(params: ClearhausParams): string {
  return params
    .map(
      ([name, value]) =>
        `${encodeURIComponent(name).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(value)}`,
    )
    .join('&');
}

/** The partner's request signer: `Signature: <signing api key> RS256-hex <hex RSASSA-PKCS1-v1_5 SHA-256>`. */
export class ClearhausSigner {
  private readonly key: KeyObject;

  constructor(
    private readonly signingApiKey: string,
    privateKeyPem: string,
  ) {
    this.key = createPrivateKey(privateKeyPem);
    if (this.key.asymmetricKeyType !== 'rsa')
      throw new Error('the Clearhaus signing key must be an RSA private key');
  }

  header(body: string): string {
    const signature = sign('sha256', Buffer.from(body, 'utf8'), this.key).toString('hex');
    return `${this.signingApiKey} RS256-hex ${signature}`;
  }
}

/** HTTP Basic with the API key as user name and an empty password. */
export function basicAuth(apiKey: string): string {
  return `Basic ${Buffer.from(`${apiKey}:`, 'utf8').toString('base64')}`;
}
