/**
 * Schema → form fields: a pure mapping from a function's `params` schema (see `manifest/manifest.ts`)
 * to the fields `<turtle-form>` renders. Keeping it free of the DOM lets it be tested on its own.
 */
import type { JSONSchema7, JSONSchema7Definition } from 'json-schema';
import type { Schema } from '../../manifest/manifest.js';
import { admitsNull } from '../../manifest/nullable.js';

/** How a field is rendered and how its text is turned into a JSON value. */
export const FieldKind = {
  /** `<input type=text>` → string. */
  text: 'text',
  /** `<textarea>` → string (`x-turtle-widget: "textarea"`). */
  textarea: 'textarea',
  /** `<input type=password>` → string (`x-turtle-widget: "password"` or `writeOnly`). */
  password: 'password',
  /** `<input type=datetime-local>` → ISO string (`format: "date-time"`). */
  dateTime: 'date-time',
  /** `<input type=date>` → `YYYY-MM-DD` (`format: "date"`). */
  date: 'date',
  /** `<input type=time>` → `HH:MM:SS` with the browser's UTC offset (`format: "time"`). */
  time: 'time',
  /** `<input type=email>` → string (`format: "email"`). */
  email: 'email',
  /** `<input type=url>` → string (`format: "uri"`). */
  url: 'url',
  /** `<input type=number step=1>` → integer. */
  integer: 'integer',
  /** `<input type=number step=any>` → number. */
  number: 'number',
  /** A checkbox → boolean (a boolean with a default that does not admit null). */
  boolean: 'boolean',
  /** A select of "Not set" / "Yes" / "No" → boolean, or empty (a boolean that admits null, or is optional without a default). */
  tristate: 'tristate',
  /** Two radio buttons "Yes" / "No", neither chosen at first → boolean (a required boolean without a default). */
  yesNo: 'yes-no',
  /** A select of the `enum` values, labelled by `x-turtle-enum-labels` (radios with `widget: "radio"`). */
  choice: 'choice',
  /** A group of checkboxes, one per `enum` value of the items (an array of enums) → the ticked values, in option order. */
  multiChoice: 'multi-choice',
  /** A textarea, one string per line (an array of plain strings). */
  lines: 'lines',
  /** Repeatable inputs of one item field (an array of other primitives). */
  list: 'list',
  /** A fieldset of sub-fields (a nested object). */
  object: 'object',
  /** Repeatable fieldsets, one per item, that can be added, removed and moved (an array of objects). */
  objectList: 'object-list',
  /** Rows of a key box and a value control (an object with `additionalProperties`: `Record<string, T>`). */
  record: 'record',
  /** A textarea of JSON, for any schema the form has no widget for. */
  json: 'json',
} as const;

/** One of {@link FieldKind}. */
export type FieldKind = (typeof FieldKind)[keyof typeof FieldKind];

/**
 * How a field asks to be drawn when it is not its kind's usual control (`x-turtle-widget`); the value
 * is still read as its kind says: `radio` (a choice), `range` (a number), `color` (a text), `hidden`.
 */
export type FieldWidget = 'radio' | 'range' | 'color' | 'hidden';

/** One option of a `choice` field. */
export interface FieldOption {
  value: string | number | boolean | null;
  label: string;
}

/** Limits a field's value must respect, copied from the schema. */
export interface FieldConstraints {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
}

/** A form field derived from one schema property. */
export interface Field {
  /** The property name (`''` for the item field of a list). */
  name: string;
  /** The JSON pointer of the value in the inputs, e.g. `/options/limit`; server errors use the same. */
  path: string;
  /** A DOM id derived from the path. */
  id: string;
  /** The schema's `title`, or the name in words. */
  label: string;
  /** The schema's `description`, shown as help text. */
  help?: string;
  /** The schema's `x-turtle-placeholder`, shown in an empty box. */
  placeholder?: string;
  kind: FieldKind;
  /** A control other than the kind's usual one. */
  widget?: FieldWidget;
  /** The person must fill it in: the schema requires it and its type does not admit `null`. */
  required: boolean;
  /** The type admits `null` (`T | null`, see manifest/nullable.ts). */
  nullable: boolean;
  /**
   * What an empty control gives when the field may be left empty: `null` where the type admits it
   * and leaving the input out would not (the schema requires it, or its default is not `null`'s
   * absence), else `omit` (the function gets its default, or `undefined`).
   */
  whenEmpty: 'null' | 'omit';
  /** The schema's `default`, when it has one. */
  default?: unknown;
  constraints: FieldConstraints;
  /** The options of a `choice` or `multi-choice` field. */
  options?: FieldOption[];
  /** The sub-fields of an `object` field. */
  fields?: Field[];
  /**
   * The item field of a `list` or `lines` field, the value field of a `record`, and the `object` field
   * every row of an `object-list` is made from. Its path ends in `/*`: {@link rowField} makes row i's.
   */
  item?: Field;
}

/**
 * The fields of a function's `params` schema, in property order. `$ref`s are resolved against the
 * schema's own `definitions` / `$defs`.
 *
 * @example
 * fieldsFromSchema({ type: 'object', properties: { count: { type: 'integer' } }, required: ['count'] })
 * // → [{ name: 'count', path: '/count', kind: 'integer', required: true, … }]
 */
export function fieldsFromSchema(params: Schema): Field[] {
  return objectFields(params, '', params);
}

function objectFields(schema: Schema, path: string, root: Schema): Field[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([name, definition]) => {
    if (typeof definition === 'boolean') return [];
    return [toField(name, `${path}/${escapePointer(name)}`, definition, required.has(name), root)];
  });
}

/** `inSchemaRequired`: the parent schema lists the property in `required` (the key must be sent). */
function toField(name: string, path: string, raw: Schema, inSchemaRequired: boolean, root: Schema): Field {
  const schema = unwrap(raw, root);
  const nullable = admitsNull(raw) || admitsNull(schema);
  const fallback = raw.default !== undefined ? raw.default : schema.default;
  const field: Field = {
    name,
    path,
    id: `field${path.replace(/[^A-Za-z0-9_-]+/g, '-')}`,
    label: schema.title ?? raw.title ?? words(name),
    kind: FieldKind.json,
    required: inSchemaRequired && !nullable,
    nullable,
    // Left out, a `T | null = "x"` would come back as "x": a person who emptied it means null.
    whenEmpty: nullable && (inSchemaRequired || fallback !== undefined) ? 'null' : 'omit',
    constraints: constraintsOf(schema),
  };
  const help = raw.description ?? schema.description;
  if (help) field.help = help;
  const placeholder = raw['x-turtle-placeholder'] ?? schema['x-turtle-placeholder'];
  if (placeholder) field.placeholder = placeholder;
  if (fallback !== undefined) field.default = fallback;
  const widget = raw['x-turtle-widget'] ?? schema['x-turtle-widget'];
  if (widget === 'radio' || widget === 'range' || widget === 'color' || widget === 'hidden')
    field.widget = widget;

  const type = primaryType(schema);
  const choices = schema.enum ?? (schema.const !== undefined ? [schema.const] : undefined);
  if (choices && choices.every(isScalar)) {
    // Labels are for the non-null values, index for index; `null` is the empty choice.
    const labels = schema['x-turtle-enum-labels'] ?? [];
    field.kind = FieldKind.choice;
    field.options = choices
      .filter((value) => value !== null)
      .map((value, i) => ({ value, label: labels[i] ?? String(value) }));
  } else if (type === 'string') {
    field.kind = stringKind(schema);
  } else if (type === 'integer') {
    field.kind = FieldKind.integer;
  } else if (type === 'number') {
    field.kind = FieldKind.number;
  } else if (type === 'boolean') {
    // A checkbox cannot say "not set", nor "not chosen yet": it would send false for both.
    if (nullable || (!inSchemaRequired && field.default === undefined)) field.kind = FieldKind.tristate;
    else field.kind = field.default !== undefined ? FieldKind.boolean : FieldKind.yesNo;
  } else if (type === 'object' && schema.properties) {
    field.kind = FieldKind.object;
    field.fields = objectFields(schema, path, root);
  } else if (type === 'object' && isSchema(schema.additionalProperties)) {
    field.kind = FieldKind.record;
    field.item = recordValueField(
      toField('', `${path}/*`, schema.additionalProperties as Schema, true, root),
      field.label,
    );
  } else if (type === 'array' && isSchema(schema.items)) {
    const item = toField('', `${path}/*`, schema.items as Schema, true, root);
    // One control per item: a Yes/No pair of radios would not fit a row.
    if (item.kind === FieldKind.yesNo) item.kind = FieldKind.tristate;
    if (item.kind === FieldKind.choice && !item.nullable) {
      field.kind = FieldKind.multiChoice;
      field.options = item.options;
    } else if (item.kind === FieldKind.object) {
      field.kind = FieldKind.objectList;
      field.item = { ...item, label: field.label };
    } else if (item.kind === FieldKind.text && !item.constraints.pattern) {
      field.kind = FieldKind.lines;
      field.item = item;
    } else if (ONE_CONTROL.has(item.kind) && item.kind !== FieldKind.json) {
      field.kind = FieldKind.list;
      field.item = { ...item, label: field.label };
    }
  }
  return field;
}

function stringKind(schema: Schema): FieldKind {
  const widget = schema['x-turtle-widget'];
  if (widget === 'password' || schema.writeOnly) return FieldKind.password;
  if (widget === 'textarea') return FieldKind.textarea;
  switch (schema.format) {
    case 'date-time':
      return FieldKind.dateTime;
    case 'date':
      return FieldKind.date;
    case 'time':
      return FieldKind.time;
    case 'email':
      return FieldKind.email;
    case 'uri':
      return FieldKind.url;
    default:
      return FieldKind.text;
  }
}

/** Kinds a record row can hold in one control; anything else is edited as JSON. */
const ONE_CONTROL: ReadonlySet<FieldKind> = new Set([
  FieldKind.text,
  FieldKind.textarea,
  FieldKind.password,
  FieldKind.dateTime,
  FieldKind.date,
  FieldKind.time,
  FieldKind.email,
  FieldKind.url,
  FieldKind.integer,
  FieldKind.number,
  FieldKind.boolean,
  FieldKind.tristate,
  FieldKind.choice,
  FieldKind.json,
]);

/** The value control of a record's rows: one control (a Yes/No pair becomes a select), else JSON. */
function recordValueField(value: Field, label: string): Field {
  const field: Field = { ...value, label: `${label} value`, widget: undefined };
  delete field.widget;
  if (field.kind === FieldKind.yesNo) field.kind = FieldKind.tristate;
  if (!ONE_CONTROL.has(field.kind)) {
    field.kind = FieldKind.json;
    delete field.fields;
    delete field.item;
    delete field.options;
  }
  return field;
}

/**
 * Row `index` of an `object-list` field: its item field with `/*` replaced by the index in every
 * path and id, so that the row's controls, values and errors use the JSON pointers the server uses.
 */
export function rowField(list: Field, index: number): Field {
  const from = `${list.path}/*`;
  const to = `${list.path}/${index}`;
  const rename = (field: Field): Field => {
    const path = to + field.path.slice(from.length);
    const renamed: Field = { ...field, path, id: `field${path.replace(/[^A-Za-z0-9_-]+/g, '-')}` };
    if (field.fields) renamed.fields = field.fields.map(rename);
    if (field.item) renamed.item = rename(field.item);
    return renamed;
  };
  return { ...rename(list.item!), label: `${list.item!.label} ${index + 1}` };
}

/** Follows `$ref`s and drops a `null` alternative (`T | null` is edited as an optional `T`). */
function unwrap(schema: Schema, root: Schema, depth = 0): Schema {
  if (depth > 20) return schema;
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(schema.$ref, root);
    if (target) {
      const { $ref: _ref, ...rest } = schema;
      return unwrap({ ...target, ...rest }, root, depth + 1);
    }
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const alternatives = schema[key]?.filter(
      (s): s is JSONSchema7 => typeof s === 'object' && s.type !== 'null',
    );
    if (alternatives?.length === 1 && schema[key]!.length === 2) {
      const { [key]: _alternatives, ...rest } = schema;
      return unwrap({ ...alternatives[0], ...rest }, root, depth + 1);
    }
  }
  return schema;
}

function resolveRef(ref: string, root: Schema): Schema | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return typeof node === 'object' && node !== null ? node : undefined;
}

function primaryType(schema: Schema): string | undefined {
  const { type } = schema;
  if (Array.isArray(type)) {
    const concrete = type.filter((t) => t !== 'null');
    return concrete.length === 1 ? concrete[0] : undefined;
  }
  if (type) return type;
  if (schema.properties) return 'object';
  return undefined;
}

function constraintsOf(schema: Schema): FieldConstraints {
  const constraints: FieldConstraints = {};
  const keys = [
    'minimum',
    'maximum',
    'exclusiveMinimum',
    'exclusiveMaximum',
    'multipleOf',
    'minLength',
    'maxLength',
    'minItems',
    'maxItems',
  ] as const;
  for (const key of keys) {
    const value = schema[key];
    if (typeof value === 'number') constraints[key] = value;
  }
  if (typeof schema.pattern === 'string') constraints.pattern = schema.pattern;
  return constraints;
}

function isScalar(value: unknown): value is string | number | boolean | null {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function isSchema(items: JSONSchema7Definition | JSONSchema7Definition[] | undefined): boolean {
  return typeof items === 'object' && items !== null && !Array.isArray(items);
}

function escapePointer(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `sampleIdsList` / `sample_ids_list` → `Sample ids list`. */
export function words(name: string): string {
  const spaced = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
