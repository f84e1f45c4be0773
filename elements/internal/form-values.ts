/**
 * The text a person typed ↔ the JSON inputs of an execution. Pure functions over the fields of
 * `schema-fields.ts`: initial texts from the defaults, and conversion + validation that mirrors the
 * schema (the server validates again; its errors are shown the same way).
 */
import { FieldKind, rowField, type Field } from './schema-fields.js';
import type { FieldError } from '../../api/index.js';

/**
 * What a field's control holds, keyed by the field's path: a text, or a list of texts — one per item
 * of a `list`, the ticked option indexes of a `multi-choice`, `[key, value, key, value…]` of a
 * `record`, one (empty) entry per row of an `object-list`, whose rows' fields have their own paths
 * (`/samples/0/id`).
 */
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
    } else {
      writeRawValue(field, field.default, into);
    }
  }
  return into;
}

/**
 * Writes the texts that show `value` in `field`'s controls into `into` (every sub-field of an object
 * or of each row too); `undefined` and `null` show as empty.
 */
export function writeRawValue(field: Field, value: unknown, into: RawValues): RawValues {
  const list = Array.isArray(value) ? (value as unknown[]) : [];
  switch (field.kind) {
    case FieldKind.object: {
      const object = isRecord(value) ? value : {};
      for (const child of field.fields ?? []) writeRawValue(child, object[child.name], into);
      break;
    }
    case FieldKind.list:
      into[field.path] = list.map((v) => rawOf(field.item!, v));
      break;
    case FieldKind.multiChoice:
      into[field.path] = (field.options ?? []).flatMap((option, i) =>
        list.includes(option.value) ? [String(i)] : [],
      );
      break;
    case FieldKind.objectList:
      into[field.path] = list.map(() => '');
      list.forEach((row, i) => writeRawValue(rowField(field, i), row, into));
      break;
    case FieldKind.record:
      into[field.path] = isRecord(value)
        ? // In a JSON box, null is the JSON text `null` (an empty box would mean "no value").
          Object.entries(value).flatMap(([k, v]) => [
            k,
            v === null && field.item!.kind === FieldKind.json ? 'null' : rawOf(field.item!, v),
          ])
        : [];
      break;
    default:
      into[field.path] = rawOf(field, value);
  }
  return into;
}

/** `raw` with a row added at the end of an `object-list`, its fields showing their defaults. */
export function addRow(raw: RawValues, field: Field): RawValues {
  const rows = rowsOf(raw, field);
  return {
    ...initialRawValues(rowField(field, rows.length).fields ?? [], { ...raw }),
    [field.path]: [...rows, ''],
  };
}

/** `raw` without row `index` of an `object-list` (the rows after it move up one). */
export function removeRow(raw: RawValues, field: Field, index: number): RawValues {
  const order = rowsOf(raw, field).map((_, i) => i);
  return reorderRows(
    raw,
    field,
    order.filter((i) => i !== index),
  );
}

/** `raw` with row `from` of an `object-list` swapped with row `to`. */
export function moveRow(raw: RawValues, field: Field, from: number, to: number): RawValues {
  const order = rowsOf(raw, field).map((_, i) => i);
  if (to < 0 || to >= order.length) return raw;
  [order[from], order[to]] = [order[to]!, order[from]!];
  return reorderRows(raw, field, order);
}

/** The rows of an `object-list`, as its raw list. */
export function rowsOf(raw: RawValues, field: Field): string[] {
  const rows = raw[field.path];
  return Array.isArray(rows) ? rows : [];
}

/** Re-keys the rows' texts so that row j holds what row `order[j]` held (rows not in `order` go). */
function reorderRows(raw: RawValues, field: Field, order: number[]): RawValues {
  const prefix = `${field.path}/`;
  const out: RawValues = {};
  const rows = new Map<number, [string, string | string[]][]>();
  for (const [key, value] of Object.entries(raw)) {
    const match = key.startsWith(prefix) ? /^(\d+)(\/.*)?$/.exec(key.slice(prefix.length)) : null;
    if (!match) {
      out[key] = value;
      continue;
    }
    const row = Number(match[1]);
    rows.set(row, [...(rows.get(row) ?? []), [match[2] ?? '', value]]);
  }
  order.forEach((old, j) => {
    for (const [suffix, value] of rows.get(old) ?? []) out[`${prefix}${j}${suffix}`] = value;
  });
  out[field.path] = order.map(() => '');
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
    case FieldKind.time:
      return toLocalTime(value);
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
        : field.kind === FieldKind.multiChoice
          ? convertMultiChoice(field, raw[field.path], check)
          : field.kind === FieldKind.objectList
            ? convertRows(field, raw, errors, check)
            : field.kind === FieldKind.record
              ? convertRecord(field, raw[field.path], check)
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
    // A row added is something entered, even before it is filled in.
    if (field.kind === FieldKind.objectList) return rowsOf(raw, field).length === 0;
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

function convertMultiChoice(field: Field, raw: string | string[] | undefined, check: boolean): Converted {
  const ticked = new Set(Array.isArray(raw) ? raw : []);
  const values = (field.options ?? []).filter((_, i) => ticked.has(String(i))).map((o) => o.value);
  if (values.length === 0) return emptyValue(field, check, 'Choose at least one.');
  return check ? checkItems(field, values) : { value: values };
}

/** The rows of an `object-list`, each collected like an object; row fields' errors go to `errors` by their own paths. */
function convertRows(field: Field, raw: RawValues, errors: FieldError[], check: boolean): Converted {
  const count = rowsOf(raw, field).length;
  if (count === 0) return emptyValue(field, check, 'Add at least one.');
  const values: unknown[] = [];
  for (let i = 0; i < count; i++)
    values.push(collectObject(rowField(field, i).fields ?? [], raw, errors, check));
  return check ? checkItems(field, values) : { value: values };
}

/** `[key, value, key, value…]` → an object; a row with neither key nor value is skipped. */
function convertRecord(field: Field, raw: string | string[] | undefined, check: boolean): Converted {
  const texts = Array.isArray(raw) ? raw : [];
  const out: Record<string, unknown> = {};
  let given = 0;
  for (let i = 0; i + 1 < texts.length; i += 2) {
    const key = texts[i]!;
    const text = texts[i + 1]!;
    const row = i / 2 + 1;
    if (key.trim() === '' && text.trim() === '') continue;
    if (key === '') return { error: `Row ${row}: enter a key.` };
    if (Object.hasOwn(out, key))
      return { error: `Row ${row}: the key ${JSON.stringify(key)} is given twice.` };
    const value = convertValue(field.item!, text, check);
    if ('error' in value) return { error: `${key}: ${value.error}` };
    // An empty value of a record is its type's empty value: null where it admits null, else refused.
    if (value.value === undefined) return { error: `${key}: enter a value.` };
    out[key] = value.value;
    given++;
  }
  if (given === 0) return emptyValue(field, check, 'Add at least one entry.');
  return { value: out };
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
      return isDate(text.trim()) ? { value: text.trim() } : { error: 'Enter a date (YYYY-MM-DD).' };
    case FieldKind.time: {
      const match = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/.exec(text.trim());
      return match
        ? { value: `${match[1]}:${match[2]}:${match[3] ?? '00'}${utcOffset(new Date())}` }
        : { error: 'Enter a time (HH:MM).' };
    }
    case FieldKind.email:
    case FieldKind.url: {
      const valid = field.kind === FieldKind.email ? EMAIL.test(text.trim()) : isUrl(text.trim());
      if (!valid)
        return {
          error: field.kind === FieldKind.email ? 'Enter an email address.' : 'Enter a URL (https://…).',
        };
      const problem = check ? stringProblem(field, text.trim()) : undefined;
      return problem ? { error: problem } : { value: text.trim() };
    }
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

/** ajv-formats' `email` (what the server checks). */
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

/** An absolute URL with a scheme, as `format: "uri"` wants (`example.org` alone is not one). */
function isUrl(text: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:[^\s]*$/i.test(text)) return false;
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

/** A `YYYY-MM-DD` that names a real day (not February 30th). */
function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** The browser's UTC offset on `date`, as RFC 3339 writes it: `Z`, `+01:00`, `-05:30`. */
export function utcOffset(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  if (minutes === 0) return 'Z';
  const pad = (n: number) => String(Math.floor(n)).padStart(2, '0');
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(abs / 60)}:${pad(abs % 60)}`;
}

/**
 * A `format: "time"` value (`HH:MM:SS` with an offset) as the `HH:MM[:SS]` a time input shows, in the
 * browser's time zone today; `''` when it is not one.
 */
export function toLocalTime(value: unknown): string {
  const match = /^(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(String(value));
  if (!match) return '';
  const [, h, m, sec, zone] = match;
  const now = new Date();
  const day = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  const offset = !zone || zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  // No offset at all is a local wall time already.
  const date = zone ? new Date(`${day}T${h}:${m}:${sec}${offset}`) : undefined;
  if (!date) return `${h}:${m}${sec === '00' ? '' : `:${sec}`}`;
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  const seconds = date.getSeconds() ? `:${pad(date.getSeconds())}` : '';
  return `${pad(date.getHours())}:${pad(date.getMinutes())}${seconds}`;
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
      // The fields of an object-list's rows: `/samples/*/id` stands for `/samples/0/id`, `/samples/1/id`…
      if (f.kind === FieldKind.objectList) walk(f.item?.fields ?? []);
    });
  walk(fields);
  const isKnown = (path: string) => known.has(path) || known.has(path.replace(/\/\d+(?=\/)/g, '/*'));
  const byPath = new Map<string, string[]>();
  for (const { path, message } of errors) {
    let where = path;
    const missing = /required property '([^']+)'/.exec(message);
    const child = missing ? `${path === '/' ? '' : path}/${missing[1]}` : '';
    if (isKnown(child)) where = child;
    // `/list/2` belongs to the `/list` field.
    while (where !== '' && !isKnown(where)) where = where.slice(0, Math.max(0, where.lastIndexOf('/')));
    byPath.set(where, [...(byPath.get(where) ?? []), message]);
  }
  return byPath;
}
