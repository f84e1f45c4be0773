/**
 * A manifest schema as Ajv's types take it. `@types/json-schema` allows `$id` and `$schema` to be
 * present with the value `undefined`, Ajv's `SchemaObject` does not (`exactOptionalPropertyTypes`):
 * such a key is left out here, which is what Ajv makes of it anyway.
 */
import type { SchemaObject } from 'ajv';
import type { Schema } from './manifest.js';

/** `schema` without `$id` / `$schema` keys that hold `undefined`; nothing else changes. */
export function ajvSchema({ $id, $schema, ...rest }: Schema): SchemaObject {
  return { ...rest, ...($id !== undefined && { $id }), ...($schema !== undefined && { $schema }) };
}
