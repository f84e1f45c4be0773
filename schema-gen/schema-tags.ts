/**
 * The JSDoc tags that shape a field: `@min`/`@minimum`, `@max`/`@maximum`, `@minLength`,
 * `@maxLength`, `@pattern`, `@format email|uri|date|time|date-time`, `@asType integer` and
 * `@widget <name>` (manifest/widgets.ts) and `@filterable`. They are read from a
 * property's or parameter's own JSDoc (`@min 1`) or from the function's JSDoc with the parameter
 * named first (`@min count 1`).
 */
import { filterKindOf } from '../manifest/filterable.js';
import { SchemaKeyword, type Schema, type Widget, type WidgetOverride } from '../manifest/manifest.js';
import { typesOf, withNull } from '../manifest/nullable.js';
import { applyWidgetOverride } from '../manifest/widgets.js';

/** Every tag name this module understands. */
export const SCHEMA_TAGS = [
  'min',
  'max',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'asType',
  'widget',
  'filterable',
] as const;

/** The string formats a form has an input for (and the server checks): `@format url` is `uri`. */
export const FORMATS: Readonly<Record<string, string>> = {
  email: 'email',
  uri: 'uri',
  url: 'uri',
  date: 'date',
  time: 'time',
  'date-time': 'date-time',
};

/** One of {@link SCHEMA_TAGS}. */
export type SchemaTag = (typeof SCHEMA_TAGS)[number];

/** Whether `name` is one of {@link SCHEMA_TAGS}. */
export function isSchemaTag(name: string): name is SchemaTag {
  return (SCHEMA_TAGS as readonly string[]).includes(name);
}

const NUMERIC: Partial<Record<SchemaTag, 'minimum' | 'maximum' | 'minLength' | 'maxLength'>> = {
  min: 'minimum',
  minimum: 'minimum',
  max: 'maximum',
  maximum: 'maximum',
  minLength: 'minLength',
  maxLength: 'maxLength',
};

/**
 * Applies one tag to `schema` (in place). Returns a problem description when the value is unusable
 * (the caller turns it into a located `InvalidTag` error).
 */
export function applySchemaTag(schema: Schema, tag: SchemaTag, raw: unknown): string | undefined {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  const keyword = NUMERIC[tag];
  if (keyword) {
    const value = typeof text === 'number' ? text : Number(text);
    if ((typeof text === 'string' && text === '') || !Number.isFinite(value))
      return `@${tag} needs a number, got ${JSON.stringify(raw)}`;
    if ((keyword === 'minLength' || keyword === 'maxLength') && (!Number.isInteger(value) || value < 0)) {
      return `@${tag} needs a non-negative integer, got ${JSON.stringify(raw)}`;
    }
    schema[keyword] = value;
    return undefined;
  }
  if (tag === 'pattern') {
    const pattern = String(text);
    try {
      new RegExp(pattern, 'u');
    } catch {
      return `@pattern is not a valid regular expression: ${JSON.stringify(raw)}`;
    }
    schema.pattern = pattern;
    return undefined;
  }
  if (tag === 'format') {
    const format = FORMATS[String(text)];
    if (!format)
      return `@format ${JSON.stringify(raw)} has no form input; use one of ${Object.keys(FORMATS).join(', ')}`;
    const [base, ...others] = typesOf(schema).filter((t) => t !== 'null');
    if (base !== 'string' || others.length || schema.enum)
      return `@format needs a string, the type is ${JSON.stringify(schema.type ?? 'unknown')}`;
    schema.format = format;
    return undefined;
  }
  if (tag === 'asType') {
    if (text !== 'integer') return `@asType only knows "integer", got ${JSON.stringify(raw)}`;
    // `number | null` stays nullable: `["integer", "null"]`.
    const [base, ...others] = typesOf(schema).filter((t) => t !== 'null');
    if ((base !== 'number' && base !== 'integer') || others.length)
      return `@asType integer needs a number, the type is ${JSON.stringify(schema.type)}`;
    schema.type = typesOf(schema).includes('null') ? withNull('integer') : 'integer';
    return undefined;
  }
  if (tag === 'filterable') return applyFilterable(schema, text);
  return applyWidget(schema, String(text) as Widget);
}

/** Marks a scalar parameter `x-turtle-filterable` (the tag takes no value; whether it is top-level is the caller's to check). */
function applyFilterable(schema: Schema, text: unknown): string | undefined {
  if (text !== '' && text !== true) return `@filterable takes no value, got ${JSON.stringify(text)}`;
  const kind = filterKindOf(schema);
  if (typeof kind === 'object') return kind.problem;
  schema[SchemaKeyword.filterable] = true;
  return undefined;
}

/** Applies a widget (`@widget radio`, the `widgets` option) when it fits the field's type. */
export function applyWidget(schema: Schema, widget: WidgetOverride): string | undefined {
  return applyWidgetOverride(schema, widget);
}

/**
 * Applies the tags typescript-json-schema copied verbatim into a nested property's schema (it knows
 * `minimum`, `pattern`… but not our `min`, `max`, `asType`, `widget`), and checks the ones it parsed.
 */
export function normaliseCopiedTags(schema: Record<string, unknown>): string | undefined {
  for (const tag of SCHEMA_TAGS) {
    if (!(tag in schema)) continue;
    const raw = schema[tag];
    if (
      tag !== 'minimum' &&
      tag !== 'maximum' &&
      tag !== 'minLength' &&
      tag !== 'maxLength' &&
      tag !== 'pattern' &&
      tag !== 'format'
    )
      delete schema[tag];
    const problem = applySchemaTag(schema, tag, raw);
    if (problem) return problem;
  }
  return undefined;
}
