/**
 * Parameter schemas as GraphQL argument and input types: scalars, enums (labels as descriptions),
 * lists, nested objects as input object types, `Date` as `DateTime`, the rest as `JSON`. Non-null
 * exactly for what is required and cannot be `null`; JSDoc as descriptions; defaults as default
 * values. GraphQL names may differ from the manifest's (`names.ts`), so each type comes with
 * `toInput`, which turns a coerced GraphQL value back into the function's input.
 */
import {
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLString,
  type GraphQLInputFieldConfigMap,
  type GraphQLInputType,
  type GraphQLScalarType,
} from 'graphql';
import type { Schema } from '../../manifest/manifest.js';
import { enumType } from './enum-types.js';
import { graphqlName, typeNamePart, NameRegistry, GraphQLNameCollision } from './names.js';
import { DateTimeScalar, JSONScalar } from './scalars.js';
import { resolveRef, shapeOf, type ScalarName, type Shape } from './schema-shape.js';

/** The GraphQL scalar of each scalar shape. */
export const SCALARS: Readonly<Record<ScalarName, GraphQLScalarType>> = {
  String: GraphQLString,
  Int: GraphQLInt,
  Float: GraphQLFloat,
  Boolean: GraphQLBoolean,
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
};

/** A converter between GraphQL values (GraphQL field names) and inputs (the manifest's names). */
type Convert = (value: unknown) => unknown;
const same: Convert = (value) => value;

/** A GraphQL input type for a schema, with its converters. */
export interface InputTypeOf {
  /** Nullable; wrap in `GraphQLNonNull` where the value is required. */
  type: GraphQLInputType;
  shape: Shape;
  /** Coerced GraphQL value → the function's input (manifest names). */
  toInput: Convert;
  /** The function's value (a default) → GraphQL value (GraphQL names). */
  toGraphQL: Convert;
}

/** One argument or input field. */
export interface InputField {
  /** The GraphQL name. */
  name: string;
  /** The manifest's name. */
  key: string;
  type: GraphQLInputType;
  description: string | undefined;
  defaultValue?: unknown;
  toInput: Convert;
}

/** Builds input types for one function's parameters; type names start with `prefix`. */
export class InputTypes {
  constructor(
    private readonly names: NameRegistry,
    private readonly root: Schema,
    private readonly owner: string,
  ) {}

  /** The type of `schema`, named `name` if it needs a name of its own (an object or an enum). */
  typeOf(schema: Schema, name: string): InputTypeOf {
    const shape = shapeOf(schema, this.root);
    switch (shape.kind) {
      case 'scalar':
        return { type: SCALARS[shape.scalar], shape, toInput: same, toGraphQL: same };
      case 'enum':
        return {
          type: enumType(this.names.claim(name, this.owner), shape.members, shape.description, this.owner),
          shape,
          toInput: same,
          toGraphQL: same,
        };
      case 'list': {
        const items = this.typeOf(shape.items, `${name}Item`);
        const itemType = items.shape.nullable ? items.type : new GraphQLNonNull(items.type);
        const each =
          (convert: Convert): Convert =>
          (value) =>
            Array.isArray(value) ? value.map(convert) : value;
        return {
          type: new GraphQLList(itemType),
          shape,
          toInput: each(items.toInput),
          toGraphQL: each(items.toGraphQL),
        };
      }
      case 'object':
        return this.objectType(shape, `${name}Input`);
    }
  }

  /** The fields of an object schema (the parameters, or a nested object's properties). */
  fieldsOf(properties: Record<string, Schema>, required: readonly string[], prefix: string): InputField[] {
    const seen = new Map<string, string>();
    return Object.entries(properties).map(([key, schema]) => {
      const name = graphqlName(key);
      const clash = seen.get(name);
      if (clash !== undefined)
        throw new GraphQLNameCollision(`${prefix}.${name}`, [
          `${this.owner}: ${JSON.stringify(clash)}`,
          `${this.owner}: ${JSON.stringify(key)}`,
        ]);
      seen.set(name, key);
      const typed = this.typeOf(schema, `${prefix}${typeNamePart(key)}`);
      const resolved = typed.shape;
      const isRequired = required.includes(key) && !resolved.nullable;
      const field: InputField = {
        name,
        key,
        type: isRequired ? new GraphQLNonNull(typed.type) : typed.type,
        description: describe(schema, resolved, this.root),
        toInput: typed.toInput,
      };
      const defaultValue = defaultOf(schema, this.root);
      // A JSON default other than a scalar cannot be written in SDL: its description says it instead.
      if (
        defaultValue !== undefined &&
        (resolved.kind !== 'scalar' || resolved.scalar !== 'JSON' || isPrimitive(defaultValue))
      )
        field.defaultValue = typed.toGraphQL(defaultValue);
      return field;
    });
  }

  private objectType(shape: Extract<Shape, { kind: 'object' }>, name: string): InputTypeOf {
    const typeName = this.names.claim(name, this.owner);
    const fields = this.fieldsOf(shape.properties, shape.required, typeName.replace(/Input$/, ''));
    const type = new GraphQLInputObjectType({
      name: typeName,
      ...(shape.description !== undefined && { description: shape.description }),
      fields: () => inputFieldConfig(fields),
    });
    return {
      type,
      shape,
      toInput: (value) => (isRecord(value) ? fromFields(fields, value) : value),
      toGraphQL: (value) => {
        if (!isRecord(value)) return value;
        const out: Record<string, unknown> = {};
        for (const field of fields) if (Object.hasOwn(value, field.key)) out[field.name] = value[field.key];
        return out;
      },
    };
  }
}

/** The input field / argument configs of `fields`. */
export function inputFieldConfig(fields: readonly InputField[]): GraphQLInputFieldConfigMap {
  return Object.fromEntries(
    fields.map((f) => [
      f.name,
      {
        type: f.type,
        ...(f.description !== undefined && { description: f.description }),
        ...(f.defaultValue !== undefined && { defaultValue: f.defaultValue }),
      },
    ]),
  );
}

/** Coerced arguments / input object (GraphQL names) → input (manifest names); absent stays absent. */
export function fromFields(
  fields: readonly InputField[],
  value: Record<string, unknown>,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of fields)
    if (Object.hasOwn(value, field.name)) input[field.key] = field.toInput(value[field.name]);
  return input;
}

function defaultOf(schema: Schema, root: Schema): unknown {
  return resolveRef(schema, root).default;
}

/** The field's JSDoc, plus what the type does not say: a secret, a JSON default. */
function describe(schema: Schema, shape: Shape, root: Schema): string | undefined {
  const parts: string[] = [];
  if (shape.description) parts.push(shape.description);
  const resolved = resolveRef(schema, root);
  if (resolved.writeOnly === true || resolved['x-turtle-widget'] === 'password')
    parts.push('A secret: stored, never shown back (answers show "••••").');
  const defaultValue = defaultOf(schema, root);
  if (
    shape.kind === 'scalar' &&
    shape.scalar === 'JSON' &&
    defaultValue !== undefined &&
    !isPrimitive(defaultValue)
  )
    parts.push(`Default: ${JSON.stringify(defaultValue)}.`);
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

function isPrimitive(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
