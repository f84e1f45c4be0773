/**
 * Hand-written manifests for server tests (no schema-gen involved), and a ready-to-use executions
 * service over a fresh test database.
 */
import type {
  CallStyle,
  ExecutionMode,
  Manifest,
  ManifestFunction,
  Schema,
} from '../../manifest/manifest.js';
import { createExecutions } from '../../server/executions/create-executions.js';
import type { Executions, ExecutionsOptions } from '../../server/executions/executions-service.js';
import type { Registry } from '../../server/registry/registry.js';
import { migrate } from '../../server/storage/migrate.js';
import type { TestDatabase } from './databases.js';

/** What a test says about one function; the rest is filled in. */
export interface FunctionSpec {
  mode?: ExecutionMode;
  call?: CallStyle;
  properties?: Record<string, Schema>;
  required?: string[];
  returns?: Schema;
  functionName?: string;
}

/** A manifest for `specs` (by registered name), with no sources to check. */
export function manifestOf(
  specs: Record<string, FunctionSpec>,
  sources: Record<string, string> = {},
): Manifest {
  const functions: Record<string, ManifestFunction> = {};
  for (const [name, spec] of Object.entries(specs)) {
    functions[name] = {
      name,
      functionName: spec.functionName ?? name,
      mode: spec.mode ?? 'async',
      call: spec.call ?? 'positional',
      params: {
        type: 'object',
        properties: spec.properties ?? {},
        ...(spec.required ? { required: spec.required } : {}),
        additionalProperties: false,
      },
      returns: spec.returns ?? {},
      source: `functions.ts:1`,
    };
  }
  return { version: 1, functions, sources };
}

/** The manifest entries for everything registered in `registry`, from `specs` where given. */
export function manifestForRegistry(registry: Registry, specs: Record<string, FunctionSpec> = {}): Manifest {
  const all: Record<string, FunctionSpec> = {};
  for (const fn of registry.list()) all[fn.name] = { mode: fn.mode, ...specs[fn.name] };
  return manifestOf(all);
}

/** Migrates `db` and binds `registry` (with `specs`) into a new executions service. */
export async function executionsFor(
  db: TestDatabase,
  registry: Registry,
  specs: Record<string, FunctionSpec> = {},
  options: Partial<ExecutionsOptions> = {},
): Promise<Executions> {
  await migrate(db.knex);
  const functions = registry.bind(manifestForRegistry(registry, specs), { manifestDir: process.cwd() });
  return createExecutions({ knex: db.knex, functions, ...options });
}
