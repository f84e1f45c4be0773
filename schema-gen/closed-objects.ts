/**
 * Inputs are closed: an object type with named fields accepts no other key, so a misspelled field is
 * refused (400 naming it) instead of being dropped in favour of the default. Open records
 * (`Record<string, T>`, index signatures) keep their `additionalProperties` schema.
 */
import type { Schema } from '../manifest/manifest.js';
import { typesOf } from '../manifest/nullable.js';

/** Sets `additionalProperties: false` on every object schema in `schema` that names its fields and says nothing else. */
export function closeObjects(schema: Schema): Schema {
  // `Options | null` is an object too.
  if (typesOf(schema).includes('object') && schema.properties && schema.additionalProperties === undefined)
    schema.additionalProperties = false;
  for (const nested of children(schema)) closeObjects(nested);
  return schema;
}

function children(schema: Schema): Schema[] {
  const found: unknown[] = [
    ...Object.values(schema.properties ?? {}),
    ...(Array.isArray(schema.items) ? schema.items : [schema.items]),
    ...(schema.anyOf ?? []),
    ...(schema.oneOf ?? []),
    ...(schema.allOf ?? []),
    schema.additionalProperties,
  ];
  return found.filter((s): s is Schema => typeof s === 'object' && s !== null);
}
