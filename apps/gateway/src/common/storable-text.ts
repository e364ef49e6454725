import { z } from 'zod';

/**
 * What PostgreSQL cannot store in `text` or `jsonb`: NUL (U+0000), and UTF-16 surrogates without
 * their pair (JSON's `"\ud800"` parses to one; it has no UTF-8 form). Checked on code units, hence
 * no `u` flag.
 */
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The rule name a refusal carries in `details.issues[].rule`. */
export const UNSTORABLE_TEXT_RULE = 'unstorable_text';

export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/**
 * Paths of every string in `value` that PostgreSQL could not store. A property name that could not
 * be stored is reported on the object holding it (the name itself is not echoed back). Iterative,
 * so a body nested twenty thousand levels deep is walked without a stack overflow.
 */
export function unstorableTextPaths(value: unknown): (string | number)[][] {
  const found: (string | number)[][] = [];
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value: current, path } = next;
    if (typeof current === 'string') {
      if (!isStorableText(current)) found.push(path);
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => pending.push({ value: item, path: [...path, index] }));
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) {
        if (!isStorableText(key)) found.push(path);
        pending.push({ value: item, path: [...path, key] });
      }
    }
  }
  return found.reverse();
}

/**
 * The one string rule of every input — bodies, query strings, callbacks — applied before the
 * route's own schema: a text PostgreSQL cannot hold is refused at the edge as `validation_failed`
 * naming the field, whichever field of whichever route it is in, instead of a 500 from the
 * database (which MobilePay would retry, and a merchant would read as an outage).
 */
export const storableInput = z.unknown().superRefine((value, ctx) => {
  for (const path of unstorableTextPaths(value)) {
    ctx.addIssue({
      code: 'custom',
      path,
      message: 'contains a character that cannot be stored (NUL or an unpaired surrogate)',
      params: { rule: UNSTORABLE_TEXT_RULE },
    });
  }
});
