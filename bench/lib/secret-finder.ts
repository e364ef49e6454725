export interface SecretHit {
  value: string;
  index: number;
}

/**
 * The shapes of the secrets the gateway shows once: a merchant API key `psk_<16 hex>_<43
 * base64url>` — its public prefix `psk_<16 hex>` alone counts too, nothing key-shaped belongs at
 * rest outside the hashed key table — and a webhook signing secret `whsec_<base64url>`.
 */
const SECRET_SHAPES = /psk_[a-f0-9]{16}(?:_[A-Za-z0-9_-]{43})?|whsec_[A-Za-z0-9+/_=-]{40,}/g;

/**
 * Secrets in a text: anything of their shapes, and each of the `exact` values (secrets a run was
 * given, e.g. their random part without the tag), anywhere.
 */
export function findSecrets(text: string, exact: readonly string[] = []): SecretHit[] {
  const hits: SecretHit[] = [];
  const seen = new Set<number>();
  for (const match of text.matchAll(SECRET_SHAPES)) {
    hits.push({ value: match[0], index: match.index });
    seen.add(match.index);
  }
  for (const value of exact) {
    for (let i = text.indexOf(value); i !== -1; i = text.indexOf(value, i + 1)) {
      if (!seen.has(i)) hits.push({ value, index: i });
    }
  }
  return hits;
}

/** How a hit is reported: its tag (or first characters) only. */
export function maskSecret(value: string): string {
  const tag = /^(psk_|whsec_)/.exec(value)?.[1];
  return `${tag ?? value.slice(0, 4)}…(${value.length} chars)`;
}
