/**
 * The two custom scalars of the generated schema: `DateTime` (a `Date` parameter or result, JSON
 * Schema `format: date-time`) and `JSON`, the documented fallback for what GraphQL cannot type
 * exactly (unions of unlike types, open records, tuples, `unknown`).
 */
import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped, type ValueNode } from 'graphql';

// RFC 3339 date-time, as JSON Schema's `date-time` format (ajv-formats) checks it.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

function dateTimeInput(value: unknown): string {
  if (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value)))
    throw new GraphQLError('DateTime must be an RFC 3339 date-time string, e.g. "2026-12-04T16:00:00Z"');
  // Kept as written: the execution stores the same string the JSON API would.
  return value;
}

/** An RFC 3339 date-time string (`2026-12-04T16:00:00.000Z`); inputs are stored as written. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description:
    'An RFC 3339 date-time string, e.g. "2026-12-04T16:00:00.000Z" (a TypeScript `Date`). Inputs are stored as written.',
  specifiedByURL: 'https://datatracker.ietf.org/doc/html/rfc3339#section-5.6',
  serialize: (value) => (value instanceof Date ? value.toISOString() : dateTimeInput(value)),
  parseValue: dateTimeInput,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string', { nodes: ast });
    return dateTimeInput(ast.value);
  },
});

/**
 * A JSON literal written in a document as the JSON API would read the same JSON: plain objects,
 * numbers JavaScript holds exactly (an integer beyond ±2^53 is refused, as `exact-json.ts` refuses
 * it: send it as a string), no `__proto__` key.
 */
function jsonLiteral(ast: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (ast.kind) {
    case Kind.OBJECT:
      return Object.fromEntries(
        ast.fields.map((field) => {
          if (field.name.value === '__proto__')
            throw new GraphQLError('JSON objects may not have a "__proto__" key', { nodes: field });
          return [field.name.value, jsonLiteral(field.value, variables)];
        }),
      );
    case Kind.LIST:
      return ast.values.map((value) => jsonLiteral(value, variables));
    case Kind.INT: {
      const n = Number(ast.value);
      if (!Number.isSafeInteger(n))
        throw new GraphQLError(`${ast.value} is beyond ±9007199254740991: send it as a string`, {
          nodes: ast,
        });
      return n;
    }
    case Kind.FLOAT: {
      const n = Number(ast.value);
      if (!Number.isFinite(n))
        throw new GraphQLError(`${ast.value} is too large for a number`, { nodes: ast });
      return n;
    }
    default:
      return valueFromASTUntyped(ast, variables);
  }
}

/** Any JSON value: used where GraphQL cannot type a value exactly, never to drop it. */
export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description:
    'Any JSON value. turtle-shell uses it where GraphQL cannot type a value exactly: unions of unlike types (`string | number`), open records (`Record<string, T>`), tuples, `unknown` results, inputs and states of executions.',
  specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc8259',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: jsonLiteral,
});
