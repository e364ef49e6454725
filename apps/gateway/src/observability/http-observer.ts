import { trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PspMetrics } from '@app/observability';

/** What requests that matched no route are counted as: their paths are the caller's to invent. */
export const UNMATCHED_ROUTE = 'unmatched';
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Every HTTP request of the gateway: its server span is named after the route that answered it
 * (`GET /v1/payments/:id`, never the path with ids in it), and its duration is recorded by
 * method, route and status. Probes and scrapes count as well; they are cheap series.
 */
export function observeHttp(fastify: FastifyInstance, metrics: PspMetrics): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const route = routeOf(request);
    const span = trace.getActiveSpan();
    if (span && route !== UNMATCHED_ROUTE) {
      span.updateName(`${request.method} ${route}`);
      span.setAttribute('http.route', route);
    }
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpRequest(
      methodOf(request.method),
      routeOf(request),
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
}

export function routeOf(request: Pick<FastifyRequest, 'routeOptions' | 'is404'>): string {
  const route = request.routeOptions.url;
  return route && !request.is404 ? route : UNMATCHED_ROUTE;
}

export function methodOf(method: string): string {
  return METHODS.has(method) ? method : '_OTHER';
}
