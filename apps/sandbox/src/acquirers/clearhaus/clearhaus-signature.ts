import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The docs' example signing API key and its key pair (RSA signature section), always known. */
export const DOCS_SIGNING_API_KEY = '4390aec7-f76a-4c2f-8597-c87c2d06cb4f';
const DOCS_VERIFICATION_KEY = `-----BEGIN PUBLIC KEY-----
MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBALYK0zmwuYkH3YWcFNLLddx5cwDxEY7G
i1xITuQqRrU4yD3uSw+JWYKknb4Tbndb6iEHY+e6gIGD+49TojnNeIUCAwEAAQ==
-----END PUBLIC KEY-----
`;

const HEADER =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}) RS256-hex ([0-9a-f]+)$/i;

export type SignatureCheck = 'absent' | 'valid' | 'malformed' | 'unknown-key' | 'invalid';

/** Partners' verification keys by signing API key (communicated at the technical integration). */
export class ClearhausVerificationKeys {
  private readonly keys = new Map<string, KeyObject>();

  constructor(files: ReadonlyMap<string, string>) {
    this.keys.set(DOCS_SIGNING_API_KEY, createPublicKey(DOCS_VERIFICATION_KEY));
    for (const [apiKey, path] of files) {
      this.keys.set(apiKey.toLowerCase(), createPublicKey(readFileSync(path, 'utf8')));
    }
  }

  /** `Signature: <signing api key> RS256-hex <hex RSASSA-PKCS1-v1_5 SHA-256 of the body>`. */
  check(header: string | undefined, body: string): SignatureCheck {
    if (header === undefined || header === '') return 'absent';
    const match = HEADER.exec(header.trim());
    if (!match) return 'malformed';
    const key = this.keys.get(match[1].toLowerCase());
    if (!key) return 'unknown-key';
    const signature = Buffer.from(match[2], 'hex');
    return verify('sha256', Buffer.from(body, 'utf8'), key, signature) ? 'valid' : 'invalid';
  }
}
