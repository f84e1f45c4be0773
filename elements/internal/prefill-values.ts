/**
 * Values → the texts of a form's controls, for `<turtle-form values>` and `from-execution`: each value
 * is shown only when the field would give it back unchanged on submit (its text converts to the same
 * JSON), so a value that does not fit the schema — a wrong type, an unknown option, a field the form
 * does not have — is left out with a notice instead of being sent altered. Secrets come back masked
 * from the server: their fields stay empty, with a notice. Pure.
 */
import { REDACTED } from '../../api/index.js';
import {
  collectInputs,
  convertValue,
  initialRawValues,
  rawOf,
  writeRawValue,
  type RawValues,
} from './form-values.js';
import { FieldKind, type Field } from './schema-fields.js';

/** The texts to start from, and what a person should know about the values that were not used. */
export interface Prefill {
  raw: RawValues;
  notices: string[];
}

/** Options of {@link prefillRawValues}. */
export interface PrefillOptions {
  /** JSON pointers of values that are masked secrets (an execution's `redactedInputs`). Default none. */
  secrets?: readonly string[];
  /** The texts to start from. Default: each field's default ({@link initialRawValues}). */
  base?: RawValues;
}

/**
 * The texts of `fields` filled with `values` (the inputs of an execution, or what a page gives).
 * A field without a value keeps its `base` text.
 *
 * @example
 * prefillRawValues(fieldsFromSchema(params), { count: 3, colour: 99 })
 * // → { raw: { '/count': '3', '/colour': '', … }, notices: ['Colour: the value 99 does not fit this field, so it was left out.'] }
 */
export function prefillRawValues(
  fields: readonly Field[],
  values: Record<string, unknown>,
  { secrets = [], base = initialRawValues(fields) }: PrefillOptions = {},
): Prefill {
  const raw: RawValues = { ...base };
  const notices: string[] = [];
  fill(fields, values, '', new Set(secrets), raw, notices);
  return { raw, notices };
}

/** Field kinds whose value is a set of rows or entries rather than one control's text. */
const ROW_KINDS: ReadonlySet<FieldKind> = new Set([
  FieldKind.multiChoice,
  FieldKind.objectList,
  FieldKind.record,
]);

function fill(
  fields: readonly Field[],
  values: Record<string, unknown>,
  parentLabel: string,
  secrets: ReadonlySet<string>,
  raw: RawValues,
  notices: string[],
): void {
  const byName = new Map(fields.map((field) => [field.name, field]));
  for (const [name, value] of Object.entries(values)) {
    const field = byName.get(name);
    const label = parentLabel ? `${parentLabel} › ${field?.label ?? name}` : (field?.label ?? name);
    if (!field) {
      notices.push(`${label}: this form has no such field, so the value was left out.`);
      continue;
    }
    if (value === undefined) continue;
    if (secrets.has(field.path) || (isSecret(field) && value === REDACTED)) {
      notices.push(`${label} is a secret: it was not copied. Enter it again.`);
      continue;
    }
    if (field.kind === FieldKind.object) {
      if (value === null && !field.required) continue; // left blank: null or nothing, as the field says
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        fill(field.fields ?? [], value as Record<string, unknown>, label, secrets, raw, notices);
        continue;
      }
    } else if (ROW_KINDS.has(field.kind)) {
      if (value === null && !field.required) continue; // left blank: null or nothing, as the field says
      // Rows and entries: written as the form keeps them, used when they read back as the same value.
      const rows = writeRawValue(field, value, {});
      const back = collectInputs([field], rows);
      if (back.errors.length === 0 && sameRows(field, back.inputs[field.name], value)) {
        Object.assign(raw, rows);
        continue;
      }
    } else {
      const text = textFor(field, value);
      if (text !== undefined) {
        raw[field.path] = text;
        continue;
      }
    }
    notices.push(`${label}: the value ${describe(value)} does not fit this field, so it was left out.`);
  }
}

/** The control's text that gives `value` back on submit, or undefined when there is none. */
function textFor(field: Field, value: unknown): string | string[] | undefined {
  if (field.kind === FieldKind.list) {
    if (value === null && !field.required) return [];
    if (!Array.isArray(value)) return undefined;
    const texts: string[] = [];
    for (const item of value) {
      const text = textFor(field.item!, item);
      if (typeof text !== 'string') return undefined;
      texts.push(text);
    }
    return texts;
  }
  // An empty control is how `null` is given, where the type admits it.
  if (value === null) return field.nullable ? (field.kind === FieldKind.boolean ? 'false' : '') : undefined;
  const text = rawOf(field, value);
  const back = convertValue(field, text, true);
  if ('error' in back || !same(field, back.value, value)) return undefined;
  return text;
}

/** Whether the value a text converts back to is the given one (a date-time to the second the control shows). */
function same(field: Field, back: unknown, value: unknown): boolean {
  if (field.kind === FieldKind.dateTime && typeof value === 'string' && typeof back === 'string') {
    return Math.floor(Date.parse(back) / 1000) === Math.floor(Date.parse(value) / 1000);
  }
  return JSON.stringify(back) === JSON.stringify(value);
}

/** Whether rows read back as the given value; a checkbox group is a set (it sends in option order). */
function sameRows(field: Field, back: unknown, value: unknown): boolean {
  const canonical = (v: unknown) =>
    field.kind === FieldKind.multiChoice && Array.isArray(v)
      ? v.map((item) => JSON.stringify(item)).sort()
      : v;
  return JSON.stringify(canonical(back)) === JSON.stringify(canonical(value));
}

function isSecret(field: Field): boolean {
  return field.kind === FieldKind.password;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
