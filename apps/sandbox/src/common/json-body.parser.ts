import type { FastifyInstance } from 'fastify';
import { badRequest } from './sandbox-error';

/**
 * JSON bodies for every JSON media type the specs list (application/json, text/json,
 * application/*+json), and an empty body read as "no body": PSP clients send
 * `PUT …/invalidate` with a JSON content type and nothing in it.
 */
export function registerJsonParser(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('application/json');
  for (const type of ['application/json', 'text/json', /^application\/[\w.-]+\+json$/]) {
    fastify.addContentTypeParser(type, { parseAs: 'string' }, (_request, body: string, done) => {
      if (body.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(body));
      } catch {
        done(badRequest('request body is not valid JSON'));
      }
    });
  }
}
