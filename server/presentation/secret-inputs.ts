/**
 * Finding the secrets in an execution's inputs: every value the function's parameter schema marks
 * `writeOnly` (a `Secret`, or `@widget password`), at any depth — a property of a nested object, the
 * items of an array, a branch of `anyOf`/`oneOf`/`allOf`, behind a local `$ref`. Pure: the answer
 * builder (`execution-presenter.ts`) masks what this finds.
 */
import type { Schema } from '../../manifest/manifest.js';
import { REDACTED } from '../../api/execution.js';

/** The inputs with their secrets masked, and where those were. */
export interface MaskedInputs {
  /** A copy of the inputs with every given secret replaced by {@link REDACTED}. */
  input: Record<string, unknown>;
  /** JSON pointers (RFC 6901) of the masked values, e.g. `/password` or `/keys/0`. */
  redacted: string[];
}

/** Schemas as the walk meets them: a JSON Schema or a boolean schema. */
type SchemaNode = Schema | boolean | undefined;

/** Deeper than any form a person fills in; stops a `$ref` cycle from looping. */
const MAX_DEPTH = 64;

/** Whether `params` marks anything `writeOnly` (so that functions without secrets skip the walk). */
export function hasSecrets(params: Schema): boolean {
  const seen = new Set<unknown>();
  const visit = (value: unknown): boolean => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return false;
    seen.add(value);
    if (!Array.isArray(value) && (value as Record<string, unknown>).writeOnly === true) return true;
    return Object.values(value).some(visit);
  };
  return visit(params);
}

/**
 * Masks every value of `input` that `params` marks `writeOnly`. A value matched by several schemas
 * (union branches) is masked when any of them says so: when unsure, hide.
 */
export function maskSecrets(params: Schema, input: Record<string, unknown>): MaskedInputs {
  const redacted: string[] = [];
  const walk = (schemas: SchemaNode[], value: unknown, pointer: string, depth: number): unknown => {
    const all = expand(params, schemas, depth);
    if (all.some((s) => s.writeOnly === true)) {
      redacted.push(pointer);
      return REDACTED;
    }
    if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      return (value as unknown[]).map((item, i) => {
        const children = all.flatMap((s) => itemSchemas(s, i));
        return children.length ? walk(children, item, `${pointer}/${i}`, depth + 1) : item;
      });
    }
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const children = all.flatMap((s) => propertySchemas(s, key));
      out[key] = children.length
        ? walk(children, child, `${pointer}/${escapePointer(key)}`, depth + 1)
        : child;
    }
    return out;
  };
  const masked = walk([params], input, '', 0) as Record<string, unknown>;
  return { input: masked, redacted };
}

/** `schemas` with their `$ref`s resolved and their `allOf`/`anyOf`/`oneOf`/`if`-branches added. */
function expand(root: Schema, schemas: SchemaNode[], depth: number): Schema[] {
  const out: Schema[] = [];
  const add = (node: SchemaNode, level: number): void => {
    if (node === undefined || typeof node === 'boolean' || level > MAX_DEPTH) return;
    out.push(node);
    if (typeof node.$ref === 'string') add(resolveRef(root, node.$ref), level + 1);
    for (const branch of [...(node.allOf ?? []), ...(node.anyOf ?? []), ...(node.oneOf ?? [])])
      add(branch, level + 1);
    add(node.then, level + 1);
    add(node.else, level + 1);
  };
  for (const node of schemas) add(node, depth);
  return out;
}

/** The schemas that may apply to property `key` of an object matched by `schema`. */
function propertySchemas(schema: Schema, key: string): SchemaNode[] {
  const found: SchemaNode[] = [];
  const named =
    schema.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
  if (named !== undefined) found.push(named);
  for (const [pattern, child] of Object.entries(schema.patternProperties ?? {})) {
    if (safeTest(pattern, key)) found.push(child);
  }
  if (named === undefined && found.length === 0 && schema.additionalProperties !== undefined)
    found.push(schema.additionalProperties);
  return found;
}

/** The schemas that may apply to item `index` of an array matched by `schema`. */
function itemSchemas(schema: Schema, index: number): SchemaNode[] {
  if (Array.isArray(schema.items))
    return [index < schema.items.length ? schema.items[index] : schema.additionalItems];
  const prefix = (schema as { prefixItems?: SchemaNode[] }).prefixItems;
  if (prefix && index < prefix.length) return [prefix[index]];
  return [schema.items];
}

/** A local reference (`#/definitions/Login`) inside the parameters' schema; anything else is unknown. */
function resolveRef(root: Schema, ref: string): SchemaNode {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node as SchemaNode;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function safeTest(pattern: string, key: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(key);
  } catch {
    // A pattern JavaScript cannot compile matches nothing here, as in the validator.
    return false;
  }
}
