import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { openApiToJsonSchema } from '../../../apps/sandbox/src/mobilepay/openapi/openapi-to-json-schema';

const SPEC = resolve(__dirname, '../../../apps/sandbox/spec/mobilepay-online-2024.yaml');

/** Errors of `value` against a schema of the published 2024 spec ([] when it conforms). */
export function specErrors(schemaName: string, value: unknown): string[] {
  const document = parse(readFileSync(SPEC, 'utf8')) as { components: unknown };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ components: openApiToJsonSchema(document.components) }, 'spec');
  const validate = ajv.compile({ $ref: `spec#/components/schemas/${schemaName}` });
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
