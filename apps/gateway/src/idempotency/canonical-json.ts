import { DomainError, ErrorCode } from '@app/domain';

/** Deeper than any request of our API; far below where recursion would exhaust the stack. */
const MAX_DEPTH = 64;

/** JSON with object keys sorted at every level: equal parameters hash equally in any key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value, 0)) ?? '';
}

function sortKeys(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) {
    throw new DomainError(
      ErrorCode.ValidationFailed,
      `request body nests deeper than ${MAX_DEPTH} levels`,
    );
  }
  if (Array.isArray(value)) return value.map((item) => sortKeys(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key], depth + 1)]),
    );
  }
  return value;
}
