/**
 * How a function's result is shown to a person, by the type the function declares (its manifest
 * `returns` schema): an array of records as a table whose columns are the record's properties (their
 * titles or names in words, in the schema's order), an object as labelled key/value entries, enum values by their
 * labels, secrets masked, `date-time` strings as local dates, numbers formatted, http(s) URLs as
 * links, long text as a block. Where the type is open (`unknown`, `Record<…>`, JSON) or the value
 * does not fit it, the value's own shape decides. Pure, so it can be tested alone; `render-output.ts`
 * turns a view into DOM, always as text.
 */
import type { Schema } from '../../manifest/manifest.js';
import { enumLabel, resolveSchema } from './enum-labels.js';
import { localDate } from './format-date.js';
import { words } from './schema-fields.js';

/** The kinds of {@link OutputView}. */
export const OutputKind = {
  empty: 'empty',
  text: 'text',
  longText: 'long-text',
  number: 'number',
  boolean: 'boolean',
  enum: 'enum',
  secret: 'secret',
  link: 'link',
  date: 'date',
  list: 'list',
  record: 'record',
  table: 'table',
} as const;

/** One of {@link OutputKind}. */
export type OutputKind = (typeof OutputKind)[keyof typeof OutputKind];

/** A property of a record: its key, the label a person reads, and its JSDoc description. */
export interface OutputField {
  key: string;
  label: string;
  description?: string;
}

/** A value laid out for display. */
export type OutputView =
  | { kind: 'empty' }
  | { kind: 'text'; text: string }
  | { kind: 'long-text'; text: string }
  | { kind: 'number'; value: number; text: string }
  | { kind: 'boolean'; value: boolean; text: string }
  | { kind: 'enum'; value: unknown; text: string }
  | { kind: 'secret' }
  | { kind: 'link'; href: string; text: string }
  | { kind: 'date'; iso: string; text: string }
  | { kind: 'list'; items: OutputView[] }
  | { kind: 'record'; entries: (OutputField & { value: OutputView })[] }
  | { kind: 'table'; columns: OutputField[]; rows: OutputView[][] };

/** Nesting deeper than this is shown as JSON text, so a pathological value cannot blow the stack. */
const MAX_DEPTH = 8;

/** Text longer than this (or of several lines) is shown as a scrollable block. */
export const LONG_TEXT = 200;

const EMPTY: OutputView = { kind: OutputKind.empty };

/**
 * Lays out `value` by `schema` (the function's `returns`), or by its shape where `schema` is open
 * or missing. `$ref`s resolve against `root`.
 *
 * @example
 * describeOutput([{ id: 1 }], { type: 'array', items: { type: 'object', properties: { id: { type: 'integer', title: 'Sample' } } } })
 * // → { kind: 'table', columns: [{ key: 'id', label: 'Sample' }], rows: [[{ kind: 'number', value: 1, text: '1' }]] }
 * describeOutput({ sampleId: 'S1' }) // open: { kind: 'record', entries: [{ key: 'sampleId', label: 'sampleId', value: { kind: 'text', text: 'S1' } }] }
 */
export function describeOutput(
  value: unknown,
  schema?: Schema,
  root: Schema | undefined = schema,
): OutputView {
  return describe(value, schema, root, 0);
}

function describe(
  value: unknown,
  schema: Schema | undefined,
  root: Schema | undefined,
  depth: number,
): OutputView {
  if (value === null || value === undefined) return EMPTY;
  const declared = schema ? declaredFor(value, schema, root) : undefined;
  if (declared && (declared.writeOnly === true || declared['x-turtle-widget'] === 'password'))
    return { kind: OutputKind.secret };
  const label = declared ? enumLabel(value, declared) : undefined;
  if (label !== undefined) return { kind: OutputKind.enum, value, text: label };
  if (typeof value === 'string') return describeString(value, declared?.format);
  if (typeof value === 'number') return { kind: OutputKind.number, value, text: formatNumber(value) };
  if (typeof value === 'boolean') return { kind: OutputKind.boolean, value, text: value ? 'Yes' : 'No' };
  // JSON has no other kinds of value.
  if (typeof value !== 'object') return EMPTY;
  if (depth >= MAX_DEPTH) return describeString(JSON.stringify(value), undefined);
  if (Array.isArray(value)) {
    const items = declared ? schemaOf(declared.items, root) : undefined;
    if (value.length > 0 && value.every(isRecord))
      return describeTable(value, items && declaredFor(value[0], items, root), root, depth);
    return { kind: OutputKind.list, items: value.map((v) => describe(v, items, root, depth + 1)) };
  }
  const record = value as Record<string, unknown>;
  return {
    kind: OutputKind.record,
    entries: fieldsOf([record], declared, false).map((field) => ({
      ...field,
      value: describe(record[field.key], propertySchema(declared, field.key, root), root, depth + 1),
    })),
  };
}

function describeTable(
  rows: Record<string, unknown>[],
  items: Schema | undefined,
  root: Schema | undefined,
  depth: number,
): OutputView {
  const columns = fieldsOf(rows, items, true);
  const schemas = columns.map((c) => propertySchema(items, c.key, root));
  return {
    kind: OutputKind.table,
    columns,
    rows: rows.map((row) =>
      columns.map((c, i) =>
        Object.hasOwn(row, c.key) ? describe(row[c.key], schemas[i], root, depth + 1) : EMPTY,
      ),
    ),
  };
}

function describeString(text: string, format: string | undefined): OutputView {
  if (format === 'date-time' || format === 'date') {
    const shown = localDate(text);
    if (shown) return { kind: OutputKind.date, ...shown };
  }
  const href = httpUrl(text);
  if (href) return { kind: OutputKind.link, href, text };
  return text.length > LONG_TEXT || text.includes('\n')
    ? { kind: OutputKind.longText, text }
    : { kind: OutputKind.text, text };
}

/**
 * The properties of `records`: those the schema declares, in its order, labelled as a form labels
 * a parameter (its `title`, or its name in words); then any other key the values have, in the order
 * first met, as it is (the keys of a `Record` are data). A table shows every declared column;
 * a record only the keys it has.
 */
function fieldsOf(
  records: Record<string, unknown>[],
  schema: Schema | undefined,
  everyDeclared: boolean,
): OutputField[] {
  const properties = schema?.properties ?? {};
  const fields: OutputField[] = [];
  const seen = new Set<string>();
  const present = (key: string) => records.some((r) => Object.hasOwn(r, key));
  for (const [key, property] of Object.entries(properties)) {
    if (!everyDeclared && !present(key)) continue;
    seen.add(key);
    const title = typeof property === 'object' ? property.title : undefined;
    const description = typeof property === 'object' ? property.description : undefined;
    fields.push({ key, label: title ?? words(key), ...(description !== undefined && { description }) });
  }
  for (const record of records)
    for (const key of Object.keys(record))
      if (!seen.has(key)) {
        seen.add(key);
        fields.push({ key, label: key });
      }
  return fields;
}

/** The schema of `schema`'s property `key`: its own, or `additionalProperties`. */
function propertySchema(
  schema: Schema | undefined,
  key: string,
  root: Schema | undefined,
): Schema | undefined {
  if (!schema) return undefined;
  const properties = schema.properties ?? {};
  return schemaOf(Object.hasOwn(properties, key) ? properties[key] : schema.additionalProperties, root);
}

/** A sub-schema as an object (`true`, `false`, tuples and dangling `$ref`s say nothing here). */
function schemaOf(definition: unknown, root: Schema | undefined): Schema | undefined {
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) return undefined;
  return resolveSchema(definition, root);
}

/**
 * The schema `value` is declared by: `schema` resolved, the alternative of an `anyOf`/`oneOf` the
 * value fits (`T | null` is the common one); undefined when the value fits none (an old value, a
 * lying type), so that its shape decides.
 */
function declaredFor(value: unknown, schema: Schema, root: Schema | undefined, hops = 0): Schema | undefined {
  const resolved = resolveSchema(schema, root);
  if (!resolved || hops > MAX_DEPTH) return undefined;
  for (const alternatives of [resolved.anyOf, resolved.oneOf]) {
    if (!alternatives) continue;
    for (const alternative of alternatives) {
      const fit = schemaOf(alternative, root);
      const found = fit && declaredFor(value, fit, root, hops + 1);
      if (found) return found;
    }
    return undefined;
  }
  return fits(value, resolved) ? resolved : undefined;
}

/** Whether `value` has a JSON type `schema.type` allows (any, when it names none). */
function fits(value: unknown, schema: Schema): boolean {
  if (schema.type === undefined) return true;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const type = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  return types.some((t) => t === type || (t === 'integer' && Number.isInteger(value)));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` when it is an absolute http(s) URL (never another scheme: `javascript:` stays text). */
function httpUrl(value: string): string | undefined {
  if (!/^https?:\/\/\S+$/i.test(value)) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

let numberFormat: Intl.NumberFormat | undefined;

/** A number in the user's locale: `1,234.5` in English, `1.234,5` in German; integers without decimals. */
export function formatNumber(value: number): string {
  numberFormat ??= new Intl.NumberFormat(undefined, { maximumFractionDigits: 6 });
  return numberFormat.format(value);
}
