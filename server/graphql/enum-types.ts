/**
 * Enums of the manifest (`x-turtle-enum-labels`) as GraphQL enums: each value's GraphQL name is the
 * value itself made safe (`dark_blue`), or for a numeric enum its label (`Low`), and the label is
 * the value's description. Resolvers see the manifest's own values (`"dark_blue"`, `1`).
 */
import { GraphQLEnumType, type GraphQLEnumValueConfigMap } from 'graphql';
import { GraphQLNameCollision, graphqlName } from './names.js';
import type { EnumMember } from './schema-shape.js';

// Names GraphQL reserves for its own literals (spec §3.9: an enum value cannot be true, false or null).
const RESERVED = new Set(['true', 'false', 'null']);

/** The GraphQL name of one enum member. */
export function enumValueName(member: EnumMember): string {
  const raw = typeof member.value === 'string' ? member.value : (member.label ?? String(member.value));
  const name = graphqlName(raw);
  return RESERVED.has(name) ? `${name}_` : name;
}

/** An enum type named `name` for `members`; `owner` names the function in a collision error. */
export function enumType(
  name: string,
  members: readonly EnumMember[],
  description: string | undefined,
  owner: string,
): GraphQLEnumType {
  const values: GraphQLEnumValueConfigMap = {};
  for (const member of members) {
    const valueName = enumValueName(member);
    if (Object.hasOwn(values, valueName))
      throw new GraphQLNameCollision(`${name}.${valueName}`, [
        `${owner}: enum value ${JSON.stringify(values[valueName]!.value)}`,
        `${owner}: enum value ${JSON.stringify(member.value)}`,
      ]);
    values[valueName] = {
      value: member.value,
      ...(member.label !== undefined && { description: member.label }),
    };
  }
  return new GraphQLEnumType({ name, values, ...(description !== undefined && { description }) });
}
