/**
 * Enum values → their labels, for display only: the history, the detail view and the output show a
 * person `Red` where the execution stores `1` (`x-turtle-enum-labels`, index for index with the
 * non-null `enum` values). Pure; the stored and sent values never change.
 */
import type { Schema } from '../../manifest/manifest.js';

/** Nesting deeper than this is left as it is (the output view stops there too). */
const MAX_DEPTH = 8;

/**
 * A copy of `value` with every enum value the schema labels replaced by its label (a string);
 * `value` itself when the schema labels nothing in it. `$ref`s resolve against `root` (the
 * function's `params` or `returns`).
 *
 * @example
 * withEnumLabels({ colour: 1 }, { type: 'object', properties: { colour: { enum: [1, 2], 'x-turtle-enum-labels': ['Red', 'Green'] } } })
 * // → { colour: 'Red' }
 */
export function withEnumLabels(
  value: unknown,
  schema: Schema | undefined,
  root: Schema | undefined = schema,
): unknown {
  return label(value, schema, root, 0);
}

function label(value: unknown, schema: Schema | undefined, root: Schema | undefined, depth: number): unknown {
  if (!schema || depth > MAX_DEPTH || value === undefined) return value;
  const resolved = resolve(schema, root);
  if (!resolved) return value;
  const labels = resolved['x-turtle-enum-labels'];
  if (Array.isArray(resolved.enum) && labels) {
    const index = resolved.enum.filter((v) => v !== null).indexOf(value as never);
    return index >= 0 && typeof labels[index] === 'string' ? labels[index] : value;
  }
  for (const alternatives of [resolved.anyOf, resolved.oneOf, resolved.allOf]) {
    for (const alternative of alternatives ?? []) {
      if (typeof alternative === 'boolean') continue;
      const labelled = label(value, alternative, root, depth + 1);
      if (labelled !== value) return labelled;
    }
  }
  if (Array.isArray(value)) {
    const items = resolved.items;
    if (typeof items !== 'object' || items === null || Array.isArray(items)) return value;
    const mapped = value.map((item) => label(item, items as Schema, root, depth + 1));
    return mapped.some((item, i) => item !== value[i]) ? mapped : value;
  }
  if (typeof value === 'object' && value !== null) {
    const properties = resolved.properties ?? {};
    const extra = resolved.additionalProperties;
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const own = Object.hasOwn(properties, key) ? properties[key] : extra;
      const labelled = typeof own === 'object' ? label(v, own, root, depth + 1) : v;
      if (labelled !== v) changed = true;
      out[key] = labelled;
    }
    return changed ? out : value;
  }
  return value;
}

/** Follows `$ref`s (`#/definitions/…`, `#/$defs/…`) within `root`. */
function resolve(schema: Schema, root: Schema | undefined, hops = 0): Schema | undefined {
  if (typeof schema.$ref !== 'string') return schema;
  if (hops > 20 || !root || !schema.$ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const part of schema.$ref.slice(2).split('/')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return typeof node === 'object' && node !== null ? resolve(node, root, hops + 1) : undefined;
}
