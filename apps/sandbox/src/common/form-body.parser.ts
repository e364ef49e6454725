import type { FastifyInstance } from 'fastify';

/**
 * `application/x-www-form-urlencoded` kept as the raw string for every simulator: the Clearhaus one verifies
 * the request signature over the exact bytes, then parses the bracket-named parameters itself.
 */
export function registerFormParser(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body: string, done) => done(null, body),
  );
}
