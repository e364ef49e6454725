import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import type { SandboxConfig } from '@app/config';
import { badRequest } from '../../common/sandbox-error';
import { findRepoRoot } from '../../common/repo-root';
import { SANDBOX_CONFIG } from '../../sandbox.tokens';
import { openApiToJsonSchema } from './openapi-to-json-schema';

/** Which spec file defines each request schema the sandbox enforces. */
const SCHEMAS = {
  CreateMerchantRequest: 'mobilepay-online-2024.yaml',
  InitiatePaymentV3Request: 'mobilepay-online-2024.yaml',
  UpdateAuthorizationAttemptRequest: 'mobilepay-online-2024.yaml',
  CreateCaptureRequest: 'mobilepay-online-2024.yaml',
  CreateCancelRequest: 'mobilepay-online-2024.yaml',
  CreateRefundRequest: 'mobilepay-online-2024.yaml',
  SimulateRequestByAliasRequest: 'mobilepay-online-regression-tester.yaml',
} as const;

export type OnlineSchemaName = keyof typeof SCHEMAS;

/**
 * Validates request bodies against the published OpenAPI documents, loaded once at boot, so the
 * sandbox rejects exactly what the real API's schema would (and nothing the docs allow).
 */
@Injectable()
export class OpenApiValidatorService {
  private readonly logger = new Logger(OpenApiValidatorService.name);
  private readonly validators = new Map<OnlineSchemaName, ValidateFunction>();

  constructor(@Inject(SANDBOX_CONFIG) config: SandboxConfig) {
    const dir = resolveSpecDir(config.specDir);
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    for (const file of new Set(Object.values(SCHEMAS))) {
      const document = parse(readFileSync(join(dir, file), 'utf8')) as { components: unknown };
      ajv.addSchema(openApiDocument(document.components), file);
    }
    for (const [name, file] of Object.entries(SCHEMAS) as [OnlineSchemaName, string][]) {
      this.validators.set(name, ajv.compile({ $ref: `${file}#/components/schemas/${name}` }));
    }
    this.logger.log(`loaded OpenAPI schemas from ${dir}`);
  }

  /** Throws a 400 `{code:"400", message, errors}` when `body` does not match the schema. */
  assert<T>(name: OnlineSchemaName, body: unknown): T {
    const validate = this.validators.get(name);
    if (!validate) throw new Error(`unknown schema ${name}`);
    if (validate(body)) return body as T;
    const errors = (validate.errors ?? []).map((e) => ({
      path: e.instancePath || '/',
      message: e.message ?? 'invalid',
      ...(e.keyword === 'additionalProperties'
        ? { property: (e.params as { additionalProperty?: string }).additionalProperty }
        : {}),
    }));
    throw badRequest(`request body does not match ${name}`, errors);
  }
}

function openApiDocument(components: unknown): Record<string, unknown> {
  return { components: openApiToJsonSchema(components) };
}

/** Configured dir, else the copy shipped with the app, else the shared spec next to the repo. */
function resolveSpecDir(configured: string | undefined): string {
  const root = findRepoRoot();
  const candidates = configured
    ? [resolve(configured)]
    : [join(root, 'apps/sandbox/spec'), resolve(root, '../shared/spec/openapi')];
  const found = candidates.find((dir) => existsSync(join(dir, SCHEMAS.InitiatePaymentV3Request)));
  if (!found) throw new Error(`OpenAPI specs not found in ${candidates.join(', ')}`);
  return found;
}
