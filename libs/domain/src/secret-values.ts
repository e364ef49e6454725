/**
 * Secrets the API shows once (merchant API keys `psk_<prefix>_<secret>`, webhook signing secrets
 * `whsec_…`). Anything that keeps a copy of a response (the Idempotency-Key store) must not hold
 * them in clear. They are found by their tag, not by field name, so a response added later that
 * carries one is covered without being listed. The public form `psk_<prefix>` is withheld too: it
 * grants nothing, but a database dump then holds nothing shaped like a key.
 */
export const SECRET_TAGS: readonly string[] = ['psk_', 'whsec_'];

/** What stands in a stored response where a secret was. */
export const WITHHELD_SECRET = '[sealed]';

export type JsonPath = (string | number)[];

export interface WithheldSecret {
  path: JsonPath;
  value: string;
}

export function holdsSecret(value: string): boolean {
  return SECRET_TAGS.some((tag) => value.includes(tag));
}

/** A copy of `body` with every secret-bearing string replaced by {@link WITHHELD_SECRET}. */
export function withholdSecrets(body: unknown): { body: unknown; secrets: WithheldSecret[] } {
  const secrets: WithheldSecret[] = [];
  const walk = (value: unknown, path: JsonPath): unknown => {
    if (typeof value === 'string') {
      if (!holdsSecret(value)) return value;
      secrets.push({ path, value });
      return WITHHELD_SECRET;
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i]));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, walk(item, [...path, key])]),
      );
    }
    return value;
  };
  return { body: walk(body, []), secrets };
}

/** Puts the secrets back where {@link withholdSecrets} took them from (a copy; `body` is kept). */
export function restoreSecrets(body: unknown, secrets: readonly WithheldSecret[]): unknown {
  const copy: unknown = structuredClone(body);
  let root = copy;
  for (const { path, value } of secrets) {
    if (path.length === 0) {
      root = value;
      continue;
    }
    let parent = root as Record<string | number, unknown>;
    for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
    parent[path[path.length - 1]] = value;
  }
  return root;
}

/** Whether a stored response still has a withheld secret in it (one that cannot be restored). */
export function hasWithheldSecret(body: unknown): boolean {
  if (body === WITHHELD_SECRET) return true;
  if (Array.isArray(body)) return body.some(hasWithheldSecret);
  if (body !== null && typeof body === 'object') return Object.values(body).some(hasWithheldSecret);
  return false;
}
