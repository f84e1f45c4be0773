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
  /** A select of the `enum` values, labelled by `x-turtle-enum-labels`. */
  choice: 'choice',
  /** A textarea, one string per line (an array of plain strings). */
  lines: 'lines',
  /** Repeatable inputs of one item field (an array of other primitives). */
  list: 'list',
  /** A fieldset of sub-fields (a nested object). */
  object: 'object',
  /** A textarea of JSON, for any schema the form has no widget for. */
  json: 'json',
} as const;

/** One of {@link FieldKind}. */
export type FieldKind = (typeof FieldKind)[keyof typeof FieldKind];

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
  kind: FieldKind;
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
  /** The options of a `choice` field. */
  options?: FieldOption[];
  /** The sub-fields of an `object` field. */
  fields?: Field[];
  /** The item field of a `list` field. */
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
  if (fallback !== undefined) field.default = fallback;

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
  } else if (type === 'array' && isSchema(schema.items)) {
    const item = toField('', `${path}/*`, schema.items as Schema, true, root);
    if (item.kind === FieldKind.text && !item.constraints.pattern) {
      field.kind = FieldKind.lines;
      field.item = item;
    } else if (
      item.kind !== FieldKind.object &&
      item.kind !== FieldKind.list &&
      item.kind !== FieldKind.lines &&
      item.kind !== FieldKind.json
    ) {
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
  if (schema.format === 'date-time') return FieldKind.dateTime;
  if (schema.format === 'date') return FieldKind.date;
  return FieldKind.text;
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
