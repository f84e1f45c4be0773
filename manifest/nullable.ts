/**
 * How the manifest says a value may be `null` (`T | null` in the source): `"null"` is the last entry
 * of the schema's `type` (`{ "type": ["string", "null"] }`), and an enum also lists `null` last in
 * `enum` (its `x-turtle-enum-labels` label the other values, index for index). A form treats such a
 * field as one that may be left empty. Shared by `schema-gen/` (which writes it) and `elements/`.
 */
import type { JSONSchema7TypeName } from 'json-schema';
import type { Schema } from './manifest.js';

/** The JSON types a schema's `type` names, `[]` when it has none. */
export function typesOf(schema: Schema): JSONSchema7TypeName[] {
  const { type } = schema;
  return type === undefined ? [] : Array.isArray(type) ? type : [type];
}

/** Whether `schema` admits `null`: in its `type`, its `enum`, or as a `{ type: "null" }` alternative. */
export function admitsNull(schema: Schema): boolean {
  if (typesOf(schema).includes('null') || schema.enum?.includes(null)) return true;
  return [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].some(
    (s) => typeof s === 'object' && typesOf(s).includes('null'),
  );
}

/** `type` with `"null"` added last (once): `"string"` → `["string", "null"]`. */
export function withNull(type: Schema['type']): JSONSchema7TypeName[] {
  const types = typesOf({ type }).filter((t) => t !== 'null');
  return [...types, 'null'];
}
