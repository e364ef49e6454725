import { z } from 'zod';
import { DomainError } from '@app/domain';
import { unstorableCorpus } from '../../../../bench/lib/openapi-corpus';
import { parseBody } from '../common/parse-body';
import { API_ROUTES } from './api-routes';
import { buildOpenApiDocument } from './openapi-document';

/** The body as the gateway's JSON parser sees it (the corpus holds bytes, one char per byte). */
function parsed(body: string): unknown {
  return JSON.parse(Buffer.from(body, 'latin1').toString('utf8'));
}

describe('the unstorable-text corpus generated from the OpenAPI document', () => {
  const document = buildOpenApiDocument();
  const corpus = unstorableCorpus(document);

  it('gives every body-taking operation of the document cases, field by field', () => {
    const withBody = API_ROUTES.filter((r) => r.body).map(
      (r) => `${r.method.toUpperCase()} ${r.path}`,
    );
    const covered = new Set(corpus.filter((c) => c.in === 'body').map((c) => c.route));
    // Routes whose body has no text at all (amount only, or empty) have nothing to cover.
    const textless = withBody.filter((route) => !covered.has(route));
    for (const route of textless) {
      const body = API_ROUTES.find((r) => `${r.method.toUpperCase()} ${r.path}` === route)!.body!;
      const schema = JSON.stringify(z.toJSONSchema(body, { io: 'input', unrepresentable: 'any' }));
      expect([route, schema.includes('"type":"string"')]).toEqual([route, false]);
    }
    const fields = new Set(corpus.map((c) => `${c.route} ${c.in}:${c.field}`));
    for (const expected of [
      'PATCH /v1/merchant body:displayName',
      'POST /v1/payments body:orderId',
      'POST /v1/api-keys body:label',
      'POST /v1/admin/merchants body:name',
      'PATCH /v1/admin/merchants/{id}/routing body:acquirerRoutes',
      'POST /v1/pos/points-of-sale body:name',
      'GET /v1/payments query:orderId',
    ]) {
      expect(fields).toContain(expected);
    }
    expect(new Set(corpus.map((c) => c.kind)).size).toBe(4);
  });

  it('is refused by the shared rule on every route, naming the field', () => {
    const schemas = new Map(
      API_ROUTES.filter((r) => r.body).map((r) => [`${r.method.toUpperCase()} ${r.path}`, r.body!]),
    );
    const named = corpus.filter((c) => c.in === 'body' && c.mustNameField);
    expect(named.length).toBeGreaterThan(50);
    for (const c of named) {
      let thrown: unknown;
      try {
        parseBody(schemas.get(c.route)!, parsed(c.body!));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DomainError);
      const { code, details } = thrown as DomainError;
      expect([c.route, c.field, code]).toEqual([c.route, c.field, 'validation_failed']);
      expect(details?.issues).toContainEqual({ path: c.field, rule: 'unstorable_text' });
    }
  });

  it('keeps the rest of each body valid, so the hostile text is what gets refused', () => {
    const schemas = new Map(
      API_ROUTES.filter((r) => r.body).map((r) => [`${r.method.toUpperCase()} ${r.path}`, r.body!]),
    );
    const rejected = new Set<string>();
    for (const c of corpus.filter((c) => c.in === 'body')) {
      const result = schemas.get(c.route)!.safeParse(c.control);
      if (!result.success)
        rejected.add(`${c.route} ${c.field}: ${JSON.stringify(result.error.issues)}`);
    }
    expect([...rejected]).toEqual([]);
  });
});
