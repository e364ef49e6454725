import { DomainError, ErrorCode } from '@app/domain';

export interface PagePosition {
  createdAt: Date;
  id: string;
}

/** Opaque to clients: base64url of the last (createdAt, id) of a page. */
export function encodeCursor(position: PagePosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string): PagePosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string' &&
      /^[0-9a-f-]{36}$/i.test(parsed[1])
    ) {
      const createdAt = new Date(parsed[0]);
      if (!Number.isNaN(createdAt.getTime())) return { createdAt, id: parsed[1] };
    }
  } catch {
    // fall through
  }
  throw new DomainError(ErrorCode.ValidationFailed, 'cursor is invalid', {
    issues: [{ path: 'cursor', rule: 'invalid' }],
  });
}
