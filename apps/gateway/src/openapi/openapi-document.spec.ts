import SwaggerParser from '@apidevtools/swagger-parser';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { GatewayModule } from '../gateway.module';
import { API_ROUTES } from './api-routes';
import { buildOpenApiDocument } from './openapi-document';

describe('the OpenAPI document of /v1', () => {
  const document = buildOpenApiDocument('https://psp.example.com');

  it('validates against the OpenAPI 3.1 schema', async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('is checked for real: a broken document fails the same validation', async () => {
    const broken = structuredClone(document) as { paths: Record<string, unknown> };
    broken.paths['/v1/broken'] = { get: { responses: { ok: 'no' } } };
    await expect(SwaggerParser.validate(broken as never)).rejects.toThrow();
  });

  it('describes every route of the table, with an Idempotency-Key on every authenticated POST', () => {
    const paths = document.paths as Record<
      string,
      Record<string, { parameters: { name: string }[] }>
    >;
    for (const route of API_ROUTES) {
      const op = paths[route.path][route.method];
      expect(op).toBeDefined();
      if (route.method === 'post') {
        expect(op.parameters.map((p) => p.name)).toContain('Idempotency-Key');
      }
    }
  });

  it('documents amounts as integers and the error codes as an enum', () => {
    const text = JSON.stringify(document);
    expect(text).toContain('"amount":{"type":"integer"');
    expect(text).toContain('idempotency_key_reused');
    expect(text).toContain('amount_exceeds_available');
  });
});

describe('the route table behind the OpenAPI document', () => {
  /** Every handler Nest maps, read from the controllers' own decorators. */
  function mappedRoutes(): string[] {
    const controllers = Reflect.getMetadata('controllers', GatewayModule) as (new (
      ...args: never[]
    ) => object)[];
    return controllers.flatMap((controller) => {
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      const prototype = controller.prototype as Record<string, unknown>;
      return Object.getOwnPropertyNames(prototype)
        .map((name) => prototype[name])
        .filter((handler) => typeof handler === 'function' && handler !== controller)
        .filter((handler) => Reflect.hasMetadata(METHOD_METADATA, handler as object))
        .flatMap((handler) => {
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler as object)];
          const paths = [Reflect.getMetadata(PATH_METADATA, handler as object) as string | string[]]
            .flat()
            .map((path) => `/${[base, path].filter((p) => p && p !== '/').join('/')}`);
          return paths.map(
            (path) =>
              `${method.toLowerCase()} ${path.replace(/:(\w+)/g, '{$1}').replace(/\/+/g, '/')}`,
          );
        });
    });
  }

  it('describes every /v1 route the gateway serves, in-store ones included', () => {
    const documented = new Set(API_ROUTES.map((route) => `${route.method} ${route.path}`));
    const served = mappedRoutes().filter((route) => route.includes(' /v1/'));
    expect(served.length).toBeGreaterThan(40);
    expect(served.filter((route) => route.includes('/v1/pos/')).length).toBe(18);
    expect(served.filter((route) => !documented.has(route))).toEqual([]);
  });

  it('documents no route the gateway does not serve', () => {
    const served = new Set(mappedRoutes());
    expect(API_ROUTES.filter((route) => !served.has(`${route.method} ${route.path}`))).toEqual([]);
  });
});
