/**
 * OpenAPI 3.0 schemas are almost JSON Schema; the one difference that changes validation is
 * `nullable: true`, which JSON Schema spells as a `null` member of `type` (and of `enum`).
 */
export function openApiToJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(openApiToJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'nullable') out[key] = openApiToJsonSchema(value);
  }
  if ((node as { nullable?: unknown }).nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    const values: unknown = out.enum;
    if (Array.isArray(values) && !values.includes(null))
      out.enum = [...(values as unknown[]), null];
  }
  return out;
}
