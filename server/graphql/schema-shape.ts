/**
 * What a manifest schema (JSON Schema draft-07 as schema-gen writes it) is, in the terms GraphQL
 * can express: a scalar, an enum, a list, an object with known fields, or `JSON` for the rest
 * (unions of unlike types, open records, tuples, `unknown`). Whether `null` is admitted is read the
 * manifest's way (`nullable.ts`): `"null"` in `type`, `null` in `enum`, or a `{ type: "null" }`
 * alternative of `anyOf` / `oneOf`.
 */
import type { Schema } from '../../manifest/manifest.js';
import { admitsNull, typesOf } from '../../manifest/nullable.js';

/** A built-in or custom scalar the generated schema uses. */
export type ScalarName = 'String' | 'Int' | 'Float' | 'Boolean' | 'DateTime' | 'JSON';

/** One value of an enum, with its label (the manifest's `x-turtle-enum-labels`). */
export interface EnumMember {
  value: string | number;
  label: string | undefined;
}

/** A schema in GraphQL's terms. `nullable`: the value may be `null`. */
export type Shape = { nullable: boolean; description: string | undefined } & (
  | { kind: 'scalar'; scalar: ScalarName }
  | { kind: 'enum'; members: EnumMember[] }
  | { kind: 'list'; items: Schema }
  | { kind: 'object'; properties: Record<string, Schema>; required: readonly string[] }
);

/**
 * Resolves a local `$ref` (`#/definitions/Name`) against `root`, keeping the referring schema's own
 * keywords (`default`, `description`) on top.
 */
export function resolveRef(schema: Schema, root: Schema): Schema {
  if (typeof schema.$ref !== 'string') return schema;
  const match = /^#\/(definitions|\$defs)\/(.+)$/.exec(schema.$ref);
  const table = match ? (root as Record<string, unknown>)[match[1]!] : undefined;
  const target =
    match && table && typeof table === 'object'
      ? (table as Record<string, Schema>)[
          decodeURIComponent(match[2]!).replace(/~1/g, '/').replace(/~0/g, '~')
        ]
      : undefined;
  // A reference schema-gen never writes: typed as JSON below, rather than guessed.
  if (!target) return { description: schema.description };
  const own: Schema = { ...schema };
  delete own.$ref;
  return { ...resolveRef(target, root), ...own };
}

/** The shape of `raw` (references resolved against `root`). */
export function shapeOf(raw: Schema, root: Schema): Shape {
  const schema = resolveRef(raw, root);
  const nullable = admitsNull(schema);
  const description = schema.description;
  const base = { nullable, description };
  const json = { ...base, kind: 'scalar', scalar: 'JSON' } as const;
  // `T | null` written as `anyOf: [T, { type: "null" }]`: T, nullable.
  const alternatives = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].filter(
    (s): s is Schema => typeof s === 'object',
  );
  if (alternatives.length > 0) {
    const others = alternatives.filter((s) => !(typesOf(s).length === 1 && typesOf(s)[0] === 'null'));
    if (others.length !== 1 || typesOf(schema).length > 0) return json;
    const inner = shapeOf({ ...others[0]!, description: description ?? others[0]!.description }, root);
    return { ...inner, nullable: true };
  }
  const values = schema.enum ?? (schema.const !== undefined ? [schema.const] : undefined);
  if (values !== undefined) {
    const members = values.filter((v) => v !== null);
    const labels = schema['x-turtle-enum-labels'] ?? [];
    if (
      members.length > 0 &&
      (members.every((v) => typeof v === 'string') || members.every((v) => typeof v === 'number'))
    )
      return {
        ...base,
        kind: 'enum',
        members: members.map((value, i) => ({ value, label: labels[i] })),
      };
    return json;
  }
  const types = typesOf(schema).filter((t) => t !== 'null');
  if (types.length > 1) return json;
  switch (types[0]) {
    case 'string':
      return { ...base, kind: 'scalar', scalar: schema.format === 'date-time' ? 'DateTime' : 'String' };
    case 'integer':
      return { ...base, kind: 'scalar', scalar: 'Int' };
    case 'number':
      return { ...base, kind: 'scalar', scalar: 'Float' };
    case 'boolean':
      return { ...base, kind: 'scalar', scalar: 'Boolean' };
    case 'array':
      // A tuple (`items` as a list) has a type per position: JSON.
      return schema.items && typeof schema.items === 'object' && !Array.isArray(schema.items)
        ? { ...base, kind: 'list', items: schema.items }
        : json;
    case 'object':
    case undefined: {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      // Fields GraphQL can name, and nothing else: an open record (`additionalProperties` a schema
      // or true) or an object without properties is JSON.
      const open = schema.additionalProperties !== undefined && schema.additionalProperties !== false;
      if (Object.keys(properties).length === 0 || open) return json;
      return { ...base, kind: 'object', properties, required: schema.required ?? [] };
    }
    default:
      return json;
  }
}
