import type {
  AcquirerAdapter,
  AuthorizationOperationKind,
  AuthorizationOperationRequest,
  AuthorizationOperationResult,
} from './acquirer-adapter';

/** Whether the adapter can do this kind of operation at all. */
export function supportsOperation(
  adapter: AcquirerAdapter,
  kind: AuthorizationOperationKind,
): boolean {
  return typeof adapter[kind] === 'function';
}

/** Runs a capture, refund or cancel on the adapter; `not-sent` when it has no such operation. */
export function runOperation(
  adapter: AcquirerAdapter,
  kind: AuthorizationOperationKind,
  request: AuthorizationOperationRequest,
): Promise<AuthorizationOperationResult> {
  const operation = adapter[kind]?.bind(adapter);
  if (!operation) {
    return Promise.resolve({ kind: 'not-sent', error: `${adapter.name} cannot ${kind}` });
  }
  return operation(request);
}
