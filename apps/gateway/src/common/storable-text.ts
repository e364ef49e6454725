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
  // Each entry links to its parent instead of carrying its path: a path is only built for what
  // is found, so twenty thousand levels cost twenty thousand entries, not their square.
  const pending: Step[] = [{ value, parent: undefined, key: undefined }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const current = next.value;
    if (typeof current === 'string') {
      if (!isStorableText(current)) found.push(pathOf(next));
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => pending.push({ value: item, parent: next, key: index }));
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) {
        if (!isStorableText(key)) found.push(pathOf(next));
        pending.push({ value: item, parent: next, key });
      }
    }
  }
  return found.reverse();
}

interface Step {
  value: unknown;
  parent: Step | undefined;
  key: string | number | undefined;
}

function pathOf(step: Step): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: Step | undefined = step; at?.key !== undefined; at = at.parent) path.push(at.key);
  return path.reverse();
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
