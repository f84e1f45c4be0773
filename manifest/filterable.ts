/**
 * Which parameters runs can be found by (`@filterable`, see `SchemaKeyword.filterable`), and how a
 * filter value is read: shared by `schema-gen/` (which refuses what cannot be filtered), `server/`
 * (which parses `?input.<name>=` and indexes the parameters) and `elements/` (a field per parameter).
 */
import type { ManifestFunction, Schema } from './manifest.js';
import { typesOf } from './nullable.js';

/** A filterable parameter's name: an identifier of ASCII letters, digits and `_` (it names an index and a JSON path). */
export const FILTERABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What a filter value of a parameter is: a string, a number, an integer, a boolean, or one of an enum's values. */
export type FilterKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum';

/** A value a filter compares a stored input with (exact match). */
export type FilterValue = string | number | boolean;

/**
 * The kind of filter `schema` allows, or a sentence saying why it allows none: only scalars (nullable
 * or not) that are not secrets.
 */
export function filterKindOf(schema: Schema): FilterKind | { problem: string } {
  if (schema.writeOnly === true || schema['x-turtle-widget'] === 'password')
    return { problem: 'a secret cannot be @filterable (filtering would reveal it)' };
  if (schema.enum !== undefined) {
    const values = schema.enum.filter((v) => v !== null);
    if (values.length > 0 && values.every((v) => typeof v === 'string' || typeof v === 'number'))
      return 'enum';
    return { problem: '@filterable needs an enum of strings or numbers' };
  }
  const types = typesOf(schema).filter((t) => t !== 'null');
  const [type] = types;
  if (
    types.length === 1 &&
    (type === 'string' || type === 'number' || type === 'integer' || type === 'boolean')
  )
    return type;
  return {
    problem: `@filterable needs a string, number, integer, boolean or enum, the type is ${JSON.stringify(schema.type ?? 'unknown')}`,
  };
}

/** The names of `fn`'s `@filterable` parameters, in declaration order. */
export function filterableParams(fn: Pick<ManifestFunction, 'params'>): string[] {
  return Object.entries(fn.params.properties)
    .filter(([, schema]) => schema['x-turtle-filterable'] === true)
    .map(([name]) => name);
}

/**
 * Reads a filter value given as text (a query string) the way the parameter's schema says: numbers
 * as decimal numbers, integers as whole ones, booleans as `true` / `false`, enum values by value
 * (a numeric member by its number). A value that is already typed is checked. Returns the value,
 * or a sentence saying why it does not fit.
 */
export function readFilterValue(schema: Schema, raw: FilterValue): FilterValue | { problem: string } {
  const kind = filterKindOf(schema);
  if (typeof kind === 'object') return kind;
  if (kind === 'enum') {
    const values = (schema.enum ?? []).filter((v): v is string | number => v !== null);
    const found = values.find((v) => v === raw || (typeof raw === 'string' && String(v) === raw));
    return found ?? { problem: `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}` };
  }
  if (kind === 'string') return typeof raw === 'string' ? raw : { problem: 'must be a string' };
  if (kind === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    return raw === 'true' ? true : raw === 'false' ? false : { problem: 'must be true or false' };
  }
  const n =
    typeof raw === 'number'
      ? raw
      : /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw as string)
        ? Number(raw)
        : NaN;
  if (!Number.isFinite(n)) return { problem: 'must be a number' };
  if (kind === 'integer' && !Number.isInteger(n)) return { problem: 'must be an integer' };
  return n;
}
