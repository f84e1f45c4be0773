/**
 * Binding the registry to the manifest at start-up: every registered function must have an entry of
 * the same mode, and the manifest must be newer than every source it was generated from. The result
 * knows how to validate a function's inputs and call it with them.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Manifest, ManifestFunction, Schema } from '../../manifest/manifest.js';
import { applyWidgetOverride } from '../../manifest/widgets.js';
import { ManifestMismatch, UnknownFunction } from '../errors.js';
import type { RegisteredFunction } from './function-options.js';
import { functionVersion } from './function-version.js';
import { codeSchedules, type CodeSchedule } from './code-schedules.js';
import { compileInputValidator } from './input-validator.js';

/** Options of `Registry#bind`. */
export interface BindOptions {
  /** The folder the manifest's relative `sources` paths start from (where the manifest file is). */
  manifestDir: string;
  /** Whether to compare source hashes with the files on disk. Default true. */
  checkSources?: boolean;
}

/** A registered function together with its manifest entry. */
export interface BoundFunction extends RegisteredFunction {
  /** The manifest entry, with the `title` and `widgets` options applied. */
  manifest: ManifestFunction;
  /** The content hash of {@link BoundFunction.manifest} (see `function-version.ts`): recorded with every execution. */
  version: string;
  /**
   * Validates `input` against the parameters' schema and returns a copy with defaults applied.
   * @throws ValidationError listing every problem.
   */
  validateInput(input: unknown): Record<string, unknown>;
  /**
   * The arguments to call the function with: one per parameter (positional) or the input object,
   * with `format: date-time` values turned into `Date`s.
   */
  toArguments(input: Record<string, unknown>): unknown[];
  /** The `schedules` option, each with its id and validated inputs (defaults applied). */
  schedules: CodeSchedule[];
}

/** The registry as bound to a manifest: what the executions service runs functions from. */
export interface BoundRegistry {
  readonly manifest: Manifest;
  /** The bound function named `name`. */
  get(name: string): BoundFunction | undefined;
  /** The bound function named `name`; throws `UnknownFunction` when there is none. */
  require(name: string): BoundFunction;
  /** Every bound function, in registration order. */
  list(): BoundFunction[];
}

/** See `Registry#bind`. */
export function bindRegistry(
  functions: RegisteredFunction[],
  manifest: Manifest,
  options: BindOptions,
): BoundRegistry {
  if (options.checkSources ?? true) checkSources(manifest, options.manifestDir);
  const bound = new Map<string, BoundFunction>();
  for (const registered of functions) {
    const entry = manifest.functions[registered.name];
    if (!entry) {
      throw new ManifestMismatch(
        `The function ${JSON.stringify(registered.name)} is registered but not in the manifest`,
        { name: registered.name },
      );
    }
    if (entry.mode !== registered.mode) {
      throw new ManifestMismatch(
        `The function ${JSON.stringify(registered.name)} is registered as ${registered.mode} but the manifest says ${entry.mode}`,
        { name: registered.name, registered: registered.mode, manifest: entry.mode },
      );
    }
    bound.set(registered.name, bindFunction(registered, entry));
  }
  return {
    manifest,
    get: (name) => bound.get(name),
    require(name) {
      const fn = bound.get(name);
      if (!fn) throw new UnknownFunction(name);
      return fn;
    },
    list: () => [...bound.values()],
  };
}

function bindFunction(registered: RegisteredFunction, entry: ManifestFunction): BoundFunction {
  const manifest = applyOverrides(entry, registered);
  const validateInput = compileInputValidator(manifest.params);
  const names = Object.keys(manifest.params.properties);
  const dateNames = new Set(names.filter((name) => isDateTime(manifest.params.properties[name])));
  const revive = (key: string, value: unknown) =>
    dateNames.has(key) && typeof value === 'string' ? new Date(value) : value;
  return {
    ...registered,
    manifest,
    version: functionVersion(manifest),
    validateInput,
    schedules: codeSchedules(registered, validateInput),
    toArguments(input) {
      if (manifest.call === 'object') {
        const object: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(input)) object[key] = revive(key, value);
        return [object];
      }
      return names.map((name) => revive(name, input[name]));
    },
  };
}

function applyOverrides(entry: ManifestFunction, registered: RegisteredFunction): ManifestFunction {
  const { title, widgets } = registered.options;
  if (title === undefined && widgets === undefined) return entry;
  const properties: Record<string, Schema> = { ...entry.params.properties };
  for (const [param, widget] of Object.entries(widgets ?? {})) {
    const schema = properties[param];
    if (!schema) {
      throw new ManifestMismatch(
        `The widgets option of ${registered.name} names ${JSON.stringify(param)}, which is not one of its parameters`,
        { name: registered.name, param },
      );
    }
    const overridden: Schema = { ...schema };
    const problem = applyWidgetOverride(overridden, widget);
    if (problem) {
      throw new ManifestMismatch(`The widgets option of ${registered.name} for ${param}: ${problem}`, {
        name: registered.name,
        param,
      });
    }
    properties[param] = overridden;
  }
  return { ...entry, ...(title !== undefined ? { title } : {}), params: { ...entry.params, properties } };
}

function isDateTime(schema: Schema | undefined): boolean {
  return !!schema && schema.format === 'date-time';
}

function checkSources(manifest: Manifest, manifestDir: string): void {
  for (const [file, hash] of Object.entries(manifest.sources)) {
    const absolute = path.resolve(manifestDir, file);
    let content: Buffer;
    try {
      content = fs.readFileSync(absolute);
    } catch {
      throw new ManifestMismatch(`The manifest was generated from ${file}, which no longer exists`, { file });
    }
    const actual = crypto.createHash('sha256').update(content).digest('hex');
    if (actual !== hash) {
      throw new ManifestMismatch(`${file} changed since the manifest was generated`, { file });
    }
  }
}
