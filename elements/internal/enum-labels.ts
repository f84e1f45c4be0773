/**
 * Enum values → their labels, for display only: the detail view and the output show a person `Red`
 * where the execution stores `1` (`x-turtle-enum-labels`, index for index with the non-null `enum`
 * values); and the `$ref`s of a schema, resolved. Pure; the stored and sent values never change.
 */
import type { Schema } from '../../manifest/manifest.js';

/**
 * The label `schema` gives the enum value `value` (`x-turtle-enum-labels`), or undefined when it
 * labels no such value.
 * @example enumLabel(2, { enum: [1, 2], 'x-turtle-enum-labels': ['Red', 'Green'] }) // → 'Green'
 */
export function enumLabel(value: unknown, schema: Schema): string | undefined {
  const labels = schema['x-turtle-enum-labels'];
  if (!Array.isArray(schema.enum) || !labels) return undefined;
  const index = schema.enum.filter((v) => v !== null).indexOf(value as never);
  const found = index >= 0 ? labels[index] : undefined;
  return typeof found === 'string' ? found : undefined;
}

/** Follows `$ref`s (`#/definitions/…`, `#/$defs/…`) within `root`; undefined when one leads nowhere. */
export function resolveSchema(schema: Schema, root: Schema | undefined, hops = 0): Schema | undefined {
  if (typeof schema.$ref !== 'string') return schema;
  if (hops > 20 || !root || !schema.$ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const part of schema.$ref.slice(2).split('/')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return typeof node === 'object' && node !== null ? resolveSchema(node, root, hops + 1) : undefined;
}
