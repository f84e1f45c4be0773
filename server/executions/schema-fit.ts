/**
 * Whether an old run's stored inputs still fit its function's current schema, for a rerun: they
 * do (the validated inputs), or the rerun is refused with `SchemaChanged`, saying what changed since
 * the run's version and which inputs still fit.
 */
import { parameterChanges } from '../../manifest/parameter-changes.js';
import type { Schema } from '../../manifest/manifest.js';
import { SchemaChanged, ValidationError } from '../errors.js';
import type { BoundFunction } from '../registry/bound-registry.js';
import type { VersionedEntry } from '../registry/function-version.js';
import type { ExecutionRecord } from './store/execution-record.js';

/**
 * `original`'s inputs validated against `fn`'s current schema (defaults applied).
 * @param ranWith the entry of the version `original` was made with, when it is known
 * @throws SchemaChanged when they no longer fit
 */
export async function inputsStillFitting(
  fn: BoundFunction,
  original: ExecutionRecord,
  ranWith: () => Promise<VersionedEntry | undefined>,
): Promise<Record<string, unknown>> {
  try {
    return fn.validateInput(original.input);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const old = await ranWith();
    const errors = err.details.errors;
    const properties = fn.manifest.params.properties;
    const fitting = Object.keys(original.input).filter((name) => {
      if (!Object.hasOwn(properties, name)) return false;
      const pointer = `/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      return !errors.some((e) => e.path === pointer || e.path.startsWith(`${pointer}/`));
    });
    const secret = (name: string) =>
      holdsSecret(properties[name]) || holdsSecret(old?.params.properties[name]);
    throw new SchemaChanged({
      executionId: original.id,
      functionName: fn.name,
      fromVersion: original.functionVersion,
      toVersion: fn.version,
      changes: old ? parameterChanges(old, fn.manifest) : [],
      errors,
      fitting,
      values: Object.fromEntries(
        fitting.filter((name) => !secret(name)).map((name) => [name, original.input[name]]),
      ),
    });
  }
}

/** Whether a parameter's schema marks it, or anything inside it, `writeOnly` (a secret). */
function holdsSecret(schema: Schema | undefined): boolean {
  const visit = (value: unknown): boolean =>
    value !== null &&
    typeof value === 'object' &&
    ((!Array.isArray(value) && (value as Record<string, unknown>).writeOnly === true) ||
      Object.values(value).some(visit));
  return visit(schema);
}
