/**
 * A function's `returns` schema as a GraphQL output type: scalars, enums, lists, objects with known
 * fields as object types (non-null for required fields that cannot be `null`), `Date` as
 * `DateTime`, and `JSON` for what GraphQL cannot type exactly. The raw result is also on every
 * execution as `outputJson`, so nothing a function returns is out of reach.
 */
import {
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLFieldConfigMap,
  type GraphQLOutputType,
} from 'graphql';
import type { Schema } from '../../manifest/manifest.js';
import { enumType } from './enum-types.js';
import { SCALARS } from './input-types.js';
import { GraphQLNameCollision, graphqlName, typeNamePart, type NameRegistry } from './names.js';
import { shapeOf } from './schema-shape.js';

/** Builds the output types of one function's result; `owner` names it in collision errors. */
export class OutputTypes {
  constructor(
    private readonly names: NameRegistry,
    private readonly root: Schema,
    private readonly owner: string,
  ) {}

  /** The nullable GraphQL type of `schema`, and whether it admits `null`. */
  typeOf(schema: Schema, name: string): { type: GraphQLOutputType; nullable: boolean } {
    const shape = shapeOf(schema, this.root);
    switch (shape.kind) {
      case 'scalar':
        return { type: SCALARS[shape.scalar], nullable: shape.nullable };
      case 'enum':
        return {
          type: enumType(this.names.claim(name, this.owner), shape.members, shape.description, this.owner),
          nullable: shape.nullable,
        };
      case 'list': {
        const items = this.typeOf(shape.items, `${name}Item`);
        return {
          type: new GraphQLList(items.nullable ? items.type : new GraphQLNonNull(items.type)),
          nullable: shape.nullable,
        };
      }
      case 'object': {
        const typeName = this.names.claim(name, this.owner);
        const seen = new Map<string, string>();
        const fields: GraphQLFieldConfigMap<Record<string, unknown>, unknown> = {};
        for (const [key, property] of Object.entries(shape.properties)) {
          const fieldName = graphqlName(key);
          const clash = seen.get(fieldName);
          if (clash !== undefined)
            throw new GraphQLNameCollision(`${typeName}.${fieldName}`, [
              `${this.owner}: ${JSON.stringify(clash)}`,
              `${this.owner}: ${JSON.stringify(key)}`,
            ]);
          seen.set(fieldName, key);
          const field = this.typeOf(property, `${typeName}${typeNamePart(key)}`);
          const description = shapeOf(property, this.root).description;
          fields[fieldName] = {
            type:
              shape.required.includes(key) && !field.nullable ? new GraphQLNonNull(field.type) : field.type,
            ...(description !== undefined && { description }),
            // By the manifest's name, which the GraphQL name may not be.
            resolve: (source) => source[key],
          };
        }
        return {
          type: new GraphQLObjectType({
            name: typeName,
            ...(shape.description !== undefined && { description: shape.description }),
            fields,
          }),
          nullable: shape.nullable,
        };
      }
    }
  }
}
