/**
 * The text a person typed ↔ the JSON inputs of an execution. Pure functions over the fields of
 * `schema-fields.ts`: initial texts from the defaults, and conversion + validation that mirrors the
 * schema (the server validates again; its errors are shown the same way).
 */
import { FieldKind, type Field } from './schema-fields.js';
import type { FieldError } from '../../api/index.js';

/** What a field's control holds, keyed by the field's path: a text, or one text per item of a list. */
export type RawValues = Record<string, string | string[]>;

/** The inputs built from the form, and the problems found; `errors` is empty when the form is valid. */
export interface InputsResult {
  inputs: Record<string, unknown>;
  errors: FieldError[];
}

/** The texts a form starts with: each field's default, or empty. */
export function initialRawValues(fields: readonly Field[], into: RawValues = {}): RawValues {
  for (const field of fields) {
    if (field.kind === FieldKind.object) {
      initialRawValues(field.fields ?? [], into);
    } else if (field.kind === FieldKind.list) {
      into[field.path] = Array.isArray(field.default) ? field.default.map((v) => rawOf(field.item!, v)) : [];
    } else {
      into[field.path] = rawOf(field, field.default);
    }
  }
  return into;
}

/** The text a control shows for `value`: `''` (empty) for `undefined` and `null`, never `"null"`. */
export function rawOf(field: Field, value: unknown): string {
  if (value === undefined || value === null) return field.kind === FieldKind.boolean ? 'false' : '';
  switch (field.kind) {
    case FieldKind.choice: {
      const index = field.options?.findIndex((o) => o.value === value) ?? -1;
      return index < 0 ? '' : String(index);
    }
    case FieldKind.dateTime:
      return toLocalDateTime(value);
    case FieldKind.lines:
      if (Array.isArray(value)) return value.map(String).join('\n');
      return typeof value === 'string' ? value : JSON.stringify(value);
    case FieldKind.json:
      return JSON.stringify(value, null, 2);
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

/**
 * Builds the inputs from the texts, checking each field against its schema. An empty field that may
 * be left empty gives `null` or is left out, as its `whenEmpty` says. With `check: false` (default `true`) only texts that cannot be converted at all are
 * errors: required fields, bounds, lengths and patterns are left for the server to judge.
 */
export function collectInputs(
  fields: readonly Field[],
  raw: RawValues,
  { check = true }: { check?: boolean } = {},
): InputsResult {
  const errors: FieldError[] = [];
  const inputs = collectObject(fields, raw, errors, check);
  return { inputs, errors };
}

function collectObject(
  fields: readonly Field[],
  raw: RawValues,
  errors: FieldError[],
  check: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.kind === FieldKind.object) {
      // An optional object left entirely blank is not given (or null); its required children are not missing.
      if (!field.required && isBlank(field.fields ?? [], raw)) {
        if (field.whenEmpty === 'null') out[field.name] = null;
        continue;
      }
      out[field.name] = collectObject(field.fields ?? [], raw, errors, check);
      continue;
    }
    const result =
      field.kind === FieldKind.list
        ? convertList(field, raw[field.path], check)
        : convertValue(field, raw[field.path], check);
    if ('error' in result) errors.push({ path: field.path, message: result.error });
    else if (result.value !== undefined) out[field.name] = result.value;
  }
  return out;
}

/** Whether no control under `fields` holds anything (an unticked checkbox counts as nothing). */
function isBlank(fields: readonly Field[], raw: RawValues): boolean {
  return fields.every((field) => {
    if (field.kind === FieldKind.object) return isBlank(field.fields ?? [], raw);
    const value = raw[field.path];
    if (Array.isArray(value)) return value.every((v) => v.trim() === '');
    return (
      value === undefined || value.trim() === '' || (field.kind === FieldKind.boolean && value === 'false')
    );
  });
}

type Converted = { value: unknown } | { error: string };

function convertList(field: Field, raw: string | string[] | undefined, check: boolean): Converted {
  const texts = (Array.isArray(raw) ? raw : []).filter((t) => t.trim() !== '');
  if (texts.length === 0) return emptyValue(field, check, 'Add at least one value.');
  const values: unknown[] = [];
  for (const [i, text] of texts.entries()) {
    const item = convertValue(field.item!, text, check);
    if ('error' in item) return { error: `Item ${i + 1}: ${item.error}` };
    values.push(item.value);
  }
  return check ? checkItems(field, values) : { value: values };
}

/** Converts and checks one control's text; `{ value: undefined }` means "not given". */
export function convertValue(field: Field, raw: string | string[] | undefined, check = true): Converted {
  const text = typeof raw === 'string' ? raw : '';
  const blank =
    field.kind === FieldKind.textarea || field.kind === FieldKind.password ? text === '' : text.trim() === '';
  if (blank && field.kind !== FieldKind.boolean)
    return emptyValue(field, check, field.kind === FieldKind.yesNo ? 'Choose Yes or No.' : undefined);
  // Without checks, the limits are not applied: the server is the judge.
  const c: Field['constraints'] = check ? field.constraints : {};
  switch (field.kind) {
    case FieldKind.boolean:
      return { value: text === 'true' };
    case FieldKind.tristate:
    case FieldKind.yesNo:
      return { value: text === 'true' };
    case FieldKind.choice: {
      const option = field.options?.[Number(text)];
      return option ? { value: option.value } : { error: 'Choose one of the options.' };
    }
    case FieldKind.integer:
    case FieldKind.number: {
      const n = Number(text.trim());
      if (!Number.isFinite(n)) return { error: 'Enter a number.' };
      if (field.kind === FieldKind.integer && !Number.isInteger(n)) return { error: 'Enter a whole number.' };
      if (c.minimum !== undefined && n < c.minimum) return { error: `Must be at least ${c.minimum}.` };
      if (c.maximum !== undefined && n > c.maximum) return { error: `Must be at most ${c.maximum}.` };
      if (c.exclusiveMinimum !== undefined && n <= c.exclusiveMinimum)
        return { error: `Must be more than ${c.exclusiveMinimum}.` };
      if (c.exclusiveMaximum !== undefined && n >= c.exclusiveMaximum)
        return { error: `Must be less than ${c.exclusiveMaximum}.` };
      if (c.multipleOf !== undefined && !Number.isInteger(n / c.multipleOf))
        return { error: `Must be a multiple of ${c.multipleOf}.` };
      return { value: n };
    }
    case FieldKind.dateTime: {
      const date = new Date(text.trim());
      return Number.isNaN(date.getTime())
        ? { error: 'Enter a date and time.' }
        : { value: date.toISOString() };
    }
    case FieldKind.date:
      return /^\d{4}-\d{2}-\d{2}$/.test(text.trim())
        ? { value: text.trim() }
        : { error: 'Enter a date (YYYY-MM-DD).' };
    case FieldKind.lines: {
      const lines = text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '');
      if (lines.length === 0) return emptyValue(field, check);
      for (const [i, line] of lines.entries()) {
        const problem = check ? stringProblem(field.item!, line) : undefined;
        if (problem) return { error: `Line ${i + 1}: ${problem}` };
      }
      return check ? checkItems(field, lines) : { value: lines };
    }
    case FieldKind.json:
      try {
        return { value: JSON.parse(text) };
      } catch {
        return { error: 'Enter valid JSON.' };
      }
    default: {
      const problem = check ? stringProblem(field, text) : undefined;
      return problem ? { error: problem } : { value: text };
    }
  }
}

/** What an empty control gives: an error if it must be filled in (when checking), else `null` or nothing. */
function emptyValue(field: Field, check: boolean, message = 'This field is required.'): Converted {
  if (field.required) return check ? { error: message } : { value: undefined };
  return { value: field.whenEmpty === 'null' ? null : undefined };
}

function stringProblem(field: Field, text: string): string | undefined {
  const c = field.constraints;
  const length = [...text].length;
  if (c.minLength !== undefined && length < c.minLength) return `Use at least ${c.minLength} characters.`;
  if (c.maxLength !== undefined && length > c.maxLength) return `Use at most ${c.maxLength} characters.`;
  if (c.pattern !== undefined && !new RegExp(c.pattern, 'u').test(text))
    return `Must match the pattern ${c.pattern}.`;
  return undefined;
}

function checkItems(field: Field, values: unknown[]): Converted {
  const c = field.constraints;
  if (c.minItems !== undefined && values.length < c.minItems)
    return { error: `Give at least ${c.minItems} values.` };
  if (c.maxItems !== undefined && values.length > c.maxItems)
    return { error: `Give at most ${c.maxItems} values.` };
  return { value: values };
}

/** An ISO date-time as the `YYYY-MM-DDTHH:mm[:ss]` local time a `datetime-local` input shows. */
export function toLocalDateTime(value: unknown): string {
  const date = new Date(String(value));
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  const seconds = date.getSeconds() ? `:${pad(date.getSeconds())}` : '';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}${seconds}`;
}

/**
 * Groups server or client errors by field path. An error whose path names no field (or a parent
 * object) is kept under `''`, shown above the form. Ajv's `required` errors point at the parent, so
 * `must have required property 'x'` is moved to `/x`.
 */
export function errorsByPath(errors: readonly FieldError[], fields: readonly Field[]): Map<string, string[]> {
  const known = new Set<string>();
  const walk = (list: readonly Field[]) =>
    list.forEach((f) => {
      known.add(f.path);
      walk(f.fields ?? []);
    });
  walk(fields);
  const byPath = new Map<string, string[]>();
  for (const { path, message } of errors) {
    let where = path;
    const missing = /required property '([^']+)'/.exec(message);
    const child = missing ? `${path === '/' ? '' : path}/${missing[1]}` : '';
    if (known.has(child)) where = child;
    // `/list/2` belongs to the `/list` field.
    while (where !== '' && !known.has(where)) where = where.slice(0, Math.max(0, where.lastIndexOf('/')));
    byPath.set(where, [...(byPath.get(where) ?? []), message]);
  }
  return byPath;
}
