import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

// lib.dom is not in our compiler libs; this is the little of the WebAssembly API we use.
interface WasmInstance {
  exports: { __wbindgen_start(): void };
}
declare const WebAssembly: {
  instantiate(bytes: Buffer, imports: Record<string, unknown>): Promise<{ instance: WasmInstance }>;
};

/** wasm-bindgen glue: the package's own entry point imports the .wasm as an ES module, which Node
 *  cannot do without --experimental-wasm-modules, so we instantiate it and hand it to the glue. */
const glue = bindings as typeof bindings & {
  __wbg_set_wasm(exports: WasmInstance['exports']): void;
};

let ready: Promise<void> | undefined;

/** Where the engine's Rust panics put their message (the glue expects this global). */
const panics = globalThis as {
  PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void };
};
panics.PRISMA_WASM_PANIC_REGISTRY ??= {
  set_message: (message: string) => {
    process.stderr.write(`schema engine panicked: ${message}\n`);
  },
};

async function instantiate(): Promise<void> {
  const packageDir = dirname(require.resolve('@prisma/schema-engine-wasm'));
  const bytes = readFileSync(join(packageDir, 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
}

/**
 * Prisma's schema engine compiled to WebAssembly, talking to Postgres through a driver adapter
 * instead of its own (native, downloaded) connector.
 */
export async function loadSchemaEngine(
  schemaPath: string,
  schema: string,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  onLog: (line: string) => void = () => undefined,
): Promise<SchemaEngine> {
  ready ??= instantiate();
  await ready;
  return glue.SchemaEngine.new(
    { datamodels: [[schemaPath, schema]] },
    onLog,
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}
