import type { AcquirerAdapter, AcquirerRouter } from '@app/acquirers';
import { type AcquirerOperation, type PspMetrics, runInSpan } from '@app/observability';

const OPERATIONS: readonly AcquirerOperation[] = ['authorize', 'inquire', 'reverse'];
const instrumented = new WeakSet<object>();

type Call = (...args: unknown[]) => Promise<unknown>;

/**
 * Times every acquirer call and wraps it in a span (acquirer, operation, attempt id, outcome),
 * by decorating the adapters the router hands out — the same technique OpenTelemetry's own
 * instrumentations use, so the authorization code stays free of telemetry.
 */
export function instrumentAcquirers(router: AcquirerRouter, metrics: PspMetrics): void {
  const target = router as unknown as Record<string, unknown>;
  for (const method of ['route', 'byName', 'routeToken']) {
    const original = target[method];
    if (typeof original !== 'function') continue;
    target[method] = (...args: unknown[]): unknown => {
      const adapter = (original as (...a: unknown[]) => unknown).apply(router, args);
      if (adapter && typeof adapter === 'object')
        instrumentAdapter(adapter as AcquirerAdapter, metrics);
      return adapter;
    };
  }
}

export function instrumentAdapter(adapter: AcquirerAdapter, metrics: PspMetrics): void {
  if (instrumented.has(adapter)) return;
  instrumented.add(adapter);
  const target = adapter as unknown as Record<string, unknown>;
  for (const operation of OPERATIONS) {
    const original = target[operation];
    if (typeof original !== 'function') continue;
    target[operation] = (...args: unknown[]) => {
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      return runInSpan(
        `acquirer.${operation}`,
        {
          'psp.acquirer': adapter.name,
          'psp.acquirer.operation': operation,
          'psp.attempt.id': referenceOf(args[0]),
        },
        () => (original as Call).apply(adapter, args),
        (result) => ({ 'psp.acquirer.outcome': outcomeOf(result) }),
      ).then(
        (result) => {
          metrics.acquirerCall(adapter.name, operation, outcomeOf(result), seconds());
          return result;
        },
        (error: unknown) => {
          metrics.acquirerCall(adapter.name, operation, 'error', seconds());
          throw error;
        },
      );
    };
  }
}

/** authorize(request) carries it as `reference`; inquire and reverse take it first. */
function referenceOf(first: unknown): string {
  if (typeof first === 'string') return first;
  const reference = (first as { reference?: unknown } | undefined)?.reference;
  return typeof reference === 'string' ? reference : 'unknown';
}

/** The result's kind (approved, declined, unknown, …): a closed set of the adapter contract. */
function outcomeOf(result: unknown): string {
  const kind = (result as { kind?: unknown } | undefined)?.kind;
  return typeof kind === 'string' ? kind : 'unknown';
}
