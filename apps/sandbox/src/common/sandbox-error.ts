/**
 * Every expected failure of the sandbox: the HTTP status and the wire `code` are chosen where the
 * rule lives, and one exception filter renders them, so controllers never build error bodies.
 */
export class SandboxError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

export function badRequest(message: string, errors?: unknown): SandboxError {
  return new SandboxError(400, '400', message, errors === undefined ? {} : { errors });
}
