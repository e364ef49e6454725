import { randomUUID } from 'node:crypto';
import fc from 'fast-check';

/** A JSON Schema node as the OpenAPI document (or z.toJSONSchema) writes it. */
type Schema = Record<string, unknown>;
type Path = (string | number)[];

/** What a text field is filled with: each kind once per string field of every route. */
export type UnstorableKind = 'NUL' | 'lone surrogate' | 'overlong UTF-8 NUL' | 'overlong text';

const KINDS: UnstorableKind[] = ['NUL', 'lone surrogate', 'overlong UTF-8 NUL', 'overlong text'];

/** Stands in for the two bytes C0 80 until the body is turned into bytes (see `bodyBytes`). */
const OVERLONG_MARK = '@@OVERLONG-NUL@@';

/** One generated request: a valid body (or query) with one text field made hostile. */
export interface UnstorableCase {
  /** `METHOD /path/{param}` as the document names the operation. */
  route: string;
  method: string;
  /** The path template; the caller fills `{…}` parameters. */
  path: string;
  /** Where the field is and its dotted path (`Addresses.0.City`, `orderId`). */
  in: 'body' | 'query';
  field: string;
  kind: UnstorableKind;
  /** Raw body bytes (latin1 string: one char per byte), or a query string (`?a=b`). */
  body?: string;
  /** The same body with a harmless value in the field: what the route accepts (body cases). */
  control?: unknown;
  query?: string;
  /**
   * NUL and lone surrogates in a body must be refused as `400 validation_failed` naming the field;
   * the other kinds only must not end in a 5xx (the text is storable once decoded, or too long).
   */
  mustNameField: boolean;
}

/** A body-taking route described by a JSON Schema, with a valid body to start from. */
export interface SchemaRoute {
  method: string;
  path: string;
  schema: Schema;
  /** Values that get past the route's semantic checks (real ids, a known URL); laid over the example. */
  example?: Record<string, unknown>;
}

interface OpenApiDocument {
  paths?: Record<string, Record<string, OpenApiOperation>>;
}

interface OpenApiOperation {
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  parameters?: { name: string; in: string; schema?: Schema }[];
}

const asSchema = (value: unknown): Schema | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Schema)
    : undefined;

/** The alternatives of a union, null left out (a nullable field is its non-null form). */
function branches(schema: Schema): Schema[] {
  const options = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (!options) return [schema];
  return options.filter((o) => o.type !== 'null').flatMap(branches);
}

/** A minimal valid instance: required properties, formats and bounds respected. */
export function exampleOf(schema: Schema): unknown {
  const [first] = branches(schema);
  if (first !== schema) return exampleOf(first);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if ('default' in schema) return schema.default;
  switch (schema.type) {
    case 'object': {
      const properties = asSchema(schema.properties) ?? {};
      const required = (schema.required as string[] | undefined) ?? [];
      return Object.fromEntries(
        required.map((name) => [name, exampleOf(asSchema(properties[name]) ?? {})]),
      );
    }
    case 'array':
      return Array.from({ length: Math.max(1, Number(schema.minItems ?? 1)) }, () =>
        exampleOf(asSchema(schema.items) ?? {}),
      );
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number'
        ? schema.minimum
        : typeof schema.exclusiveMinimum === 'number'
          ? schema.exclusiveMinimum + 1
          : 1;
    case 'boolean':
      return true;
    case 'string':
      return stringExample(schema);
    default:
      return 'fuzz';
  }
}

function stringExample(schema: Schema): string {
  if (typeof schema.pattern === 'string') {
    const [sample] = fc.sample(fc.stringMatching(new RegExp(schema.pattern)), {
      numRuns: 1,
      seed: 19,
    });
    return sample;
  }
  switch (schema.format) {
    case 'uuid':
      return randomUUID();
    case 'uri':
      return 'https://shop.example.dk/fuzz';
    case 'email':
      return 'fuzz@example.dk';
    case 'date-time':
      return new Date().toISOString();
    default:
      return 'f'.repeat(Math.max(1, Number(schema.minLength ?? 4)));
  }
}

interface Leaf {
  path: Path;
  leaf: Schema;
  /** A record's property name: the hostile text is the key, `value` its (valid) value. */
  key?: { value: unknown };
}

/**
 * Every place a string can go — optional and nullable fields, array items, enum and const words,
 * record values and record keys.
 */
function stringLeaves(schema: Schema, path: Path = []): Leaf[] {
  return branches(schema).flatMap((s): Leaf[] => {
    if (s.type === 'string' || 'const' in s || Array.isArray(s.enum)) return [{ path, leaf: s }];
    if (s.type === 'array') return stringLeaves(asSchema(s.items) ?? {}, [...path, 0]);
    if (s.type !== 'object') return [];
    const properties = Object.entries(asSchema(s.properties) ?? {}).flatMap(([name, sub]) =>
      stringLeaves(asSchema(sub) ?? {}, [...path, name]),
    );
    const values = asSchema(s.additionalProperties);
    if (!values) return properties;
    return [
      ...properties,
      ...stringLeaves(values, [...path, 'fuzz']),
      { path, leaf: asSchema(s.propertyNames) ?? {}, key: { value: exampleOf(values) } },
    ];
  });
}

/** The schema one step down `path` (a property, an array item, a record value). */
function childSchema(schema: Schema, step: string | number): Schema {
  const s =
    branches(schema).find((b) => b.type === (typeof step === 'number' ? 'array' : 'object')) ??
    schema;
  if (typeof step === 'number') return asSchema(s.items) ?? {};
  return asSchema(asSchema(s.properties)?.[step]) ?? asSchema(s.additionalProperties) ?? {};
}

/** `base` with `value` at `path`, creating what lies between from the schema's own examples. */
function withValueAt(schema: Schema, base: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const child = childSchema(schema, head);
  if (typeof head === 'number') {
    const list = Array.isArray(base) ? [...(base as unknown[])] : [];
    list[head] = withValueAt(child, list[head] ?? exampleOf(child), rest, value);
    return list;
  }
  const object = asSchema(base) ? { ...(base as Record<string, unknown>) } : {};
  object[head] = withValueAt(child, object[head] ?? exampleOf(child), rest, value);
  return object;
}

function hostile(kind: UnstorableKind, leaf: Schema): string {
  switch (kind) {
    case 'NUL':
      return 'a\u0000b';
    case 'lone surrogate':
      return 'x\ud800y';
    case 'overlong UTF-8 NUL':
      return `a${OVERLONG_MARK}b`;
    case 'overlong text':
      return 'A'.repeat(Math.min(Number(leaf.maxLength ?? 8_000) + 1, 20_000));
  }
}

/**
 * The body as bytes, in a latin1 string (one char per byte, sent with that encoding): the JSON in
 * UTF-8, lone surrogates kept as JSON escapes (UTF-8 cannot carry them), and the overlong marker
 * replaced by C0 80 — the two-byte spelling of NUL that strict UTF-8 decoders must reject.
 */
function bodyBytes(body: unknown): string {
  const json = JSON.stringify(body).replace(
    /[\ud800-\udfff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16)}`,
  );
  return Buffer.from(json, 'utf8').toString('latin1').split(OVERLONG_MARK).join('\u00c0\u0080');
}

/**
 * Values the document cannot say (checks written in code: currencies, GUIDs, VAT numbers, https
 * URLs), so the generated bodies are valid apart from the one hostile field.
 */
export const KNOWN_VALUES: Record<string, unknown> = {
  currency: 'DKK',
  billingCurrency: 'DKK',
  countryCode: 'DK',
  vatNumber: 'DK11102248',
  merchantUrl: 'https://shop.example.dk',
  storeId: '0a6bb3a5-0e1a-4d3b-9a3c-7d5f3f0c2b11',
  beaconId: '5d0f5cf2-8a2e-4f3f-bb0a-3f6c2f1f9e21',
};

/** The valid body each alternative of `schema` starts from, `example` laid over it. */
export function baseBodies(schema: Schema, example: Record<string, unknown> = {}): unknown[] {
  return branches(schema).map((branch) => {
    const generated = asSchema(exampleOf(branch)) ?? {};
    const known = Object.fromEntries(
      Object.entries(KNOWN_VALUES).filter(([name]) => name in generated),
    );
    return { ...generated, ...known, ...example };
  });
}

/** Every string field of `route` × every kind: the rest of the body stays valid. */
export function casesForSchemaRoute(route: SchemaRoute): UnstorableCase[] {
  const cases: UnstorableCase[] = [];
  const bases = baseBodies(route.schema, route.example);
  for (const [index, branch] of branches(route.schema).entries()) {
    const base = bases[index];
    for (const { path, leaf, key } of stringLeaves(branch)) {
      const put = (text: unknown) =>
        key
          ? withValueAt(branch, base, path, { [String(text)]: key.value })
          : withValueAt(branch, base, path, text);
      const name = path[path.length - 1];
      const control = put(
        !key && typeof name === 'string' && name in KNOWN_VALUES
          ? KNOWN_VALUES[name]
          : exampleOf(leaf),
      );
      for (const kind of KINDS) {
        const body = put(hostile(kind, leaf));
        cases.push({
          route: `${route.method.toUpperCase()} ${route.path}`,
          method: route.method.toUpperCase(),
          path: route.path,
          in: 'body',
          // A bad property name is reported on the object that holds it.
          field: path.join('.'),
          kind,
          body: bodyBytes(body),
          control,
          mustNameField: kind === 'NUL' || kind === 'lone surrogate',
        });
      }
    }
  }
  return cases;
}

const QUERY_VALUES: Record<UnstorableKind, string> = {
  NUL: 'a%00b',
  // A surrogate's UTF-8-style bytes: no valid UTF-8 decodes to a lone surrogate.
  'lone surrogate': 'x%ED%A0%80y',
  'overlong UTF-8 NUL': 'a%C0%80b',
  'overlong text': 'A'.repeat(4_000),
};

/**
 * The corpus of every operation in the OpenAPI document: each string field of each request body
 * and each string query parameter gets every kind. Generated, so a new route or field is covered
 * the day it appears in the document.
 */
export function unstorableCorpus(
  document: OpenApiDocument,
  examples: Record<string, Record<string, unknown>> = {},
): UnstorableCase[] {
  const cases: UnstorableCase[] = [];
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(operations)) {
      const route = `${method.toUpperCase()} ${path}`;
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      if (schema)
        cases.push(...casesForSchemaRoute({ method, path, schema, example: examples[route] }));
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in !== 'query') continue;
        const leaf = branches(parameter.schema ?? {})[0];
        if (leaf?.type !== 'string') continue;
        for (const kind of KINDS) {
          cases.push({
            route,
            method: method.toUpperCase(),
            path,
            in: 'query',
            field: parameter.name,
            kind,
            query: `?${parameter.name}=${QUERY_VALUES[kind]}`,
            mustNameField: kind === 'NUL',
          });
        }
      }
    }
  }
  return cases;
}
