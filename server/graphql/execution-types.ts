/**
 * The fixed part of the generated schema: the `Execution` interface (every field of the JSON API's
 * execution except `output`), its events, errors and progress, the Relay connection of
 * `executions`, and `FunctionInfo`. Each function adds an execution type implementing the interface
 * with its typed `output` (`schema-from-manifest.ts`).
 */
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLFloat,
  GraphQLID,
  GraphQLInt,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
  type GraphQLFieldConfigMap,
  type GraphQLNullableType,
} from 'graphql';
import { ExecutionEventKind, ExecutionStatus, type Execution } from '../../api/execution.js';
import type { GraphQLContext } from './graphql-context.js';
import { graphqlName } from './names.js';
import { DateTimeScalar, JSONScalar } from './scalars.js';

const nonNull = <T extends GraphQLNullableType>(type: T) => new GraphQLNonNull(type);
const listOf = <T extends GraphQLNullableType>(type: T) =>
  new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(type)));

/** The names the fixed types take; a generated type may not take them. */
export const FIXED_TYPE_NAMES = [
  'Query',
  'Mutation',
  'Execution',
  'ExecutionStatus',
  'ExecutionMode',
  'ExecutionEventKind',
  'ExecutionEvent',
  'ExecutionError',
  'ExecutionProgress',
  'ExecutionConnection',
  'ExecutionEdge',
  'PageInfo',
  'FunctionInfo',
  'UnregisteredExecution',
  'DateTime',
  'JSON',
] as const;

export const ExecutionStatusEnum = new GraphQLEnumType({
  name: 'ExecutionStatus',
  description: 'created → started → validated → running → done | errored | cancelled, plus waiting.',
  values: Object.fromEntries(Object.values(ExecutionStatus).map((s) => [s, { value: s }])),
});

export const ExecutionModeEnum = new GraphQLEnumType({
  name: 'ExecutionMode',
  description: 'async: run in the background by workers; sync: run in the request.',
  values: { async: { value: 'async' }, sync: { value: 'sync' } },
});

const ExecutionEventKindEnum = new GraphQLEnumType({
  name: 'ExecutionEventKind',
  values: Object.fromEntries(Object.values(ExecutionEventKind).map((k) => [graphqlName(k), { value: k }])),
});

const ExecutionEventType = new GraphQLObjectType({
  name: 'ExecutionEvent',
  description: 'One entry of an execution’s timeline.',
  fields: {
    id: { type: nonNull(GraphQLID), description: 'Increasing across the whole store.' },
    executionId: { type: nonNull(GraphQLID) },
    functionName: { type: nonNull(GraphQLString) },
    at: { type: nonNull(DateTimeScalar) },
    kind: { type: nonNull(ExecutionEventKindEnum) },
    from: { type: ExecutionStatusEnum },
    to: { type: ExecutionStatusEnum },
    data: { type: JSONScalar },
  },
});

const ExecutionErrorType = new GraphQLObjectType({
  name: 'ExecutionError',
  fields: {
    type: {
      type: nonNull(GraphQLString),
      description: 'Stable: ValidationError, Timeout, … or the function’s own error name.',
    },
    message: { type: nonNull(GraphQLString) },
    details: { type: nonNull(JSONScalar) },
  },
});

const ExecutionProgressType = new GraphQLObjectType({
  name: 'ExecutionProgress',
  fields: {
    fraction: { type: nonNull(GraphQLFloat), description: 'From 0 to 1.' },
    message: { type: GraphQLString },
  },
});

/** How many events an execution's `events` counts for in the cost of a query. */
const EVENTS_COST = 10;

/** The fields every execution type has (the interface's, with their resolvers). */
export function executionFields(): GraphQLFieldConfigMap<Execution, GraphQLContext> {
  return {
    id: { type: nonNull(GraphQLID) },
    functionName: { type: nonNull(GraphQLString), description: 'The registered name of the function.' },
    mode: { type: nonNull(ExecutionModeEnum) },
    status: { type: nonNull(ExecutionStatusEnum) },
    input: {
      type: nonNull(JSONScalar),
      description: 'The validated inputs with defaults applied; secrets show as "••••".',
    },
    redactedInputs: {
      type: listOf(GraphQLString),
      description: 'JSON pointers into input of the secrets that are masked.',
    },
    outputJson: {
      type: JSONScalar,
      description: 'The function’s result once done, as stored (the same as `output`, untyped).',
      resolve: (execution) => execution.output,
    },
    error: { type: ExecutionErrorType },
    traceback: { type: GraphQLString },
    state: { type: JSONScalar, description: 'The last checkpoint of the function.' },
    progress: { type: ExecutionProgressType },
    user: { type: GraphQLString },
    attempts: { type: nonNull(GraphQLInt) },
    createdAt: { type: nonNull(DateTimeScalar) },
    updatedAt: { type: nonNull(DateTimeScalar) },
    startedAt: { type: DateTimeScalar },
    finishedAt: { type: DateTimeScalar },
    rerunOf: { type: GraphQLID },
    nextRunAt: { type: DateTimeScalar },
    events: {
      type: listOf(ExecutionEventType),
      description: 'The timeline, oldest first.',
      extensions: {
        complexity: ({ childComplexity }: { childComplexity: number }) => 1 + EVENTS_COST * childComplexity,
      },
      resolve: (execution, _args, context) => context.operations.events(execution),
    },
  };
}

/** The interface of every execution type; `resolveType` picks the function's own. */
export function executionInterface(typeOf: (functionName: string) => string): GraphQLInterfaceType {
  const { events, outputJson, ...fields } = executionFields();
  return new GraphQLInterfaceType({
    name: 'Execution',
    description:
      'One run of a registered function. Its `output`, typed from the function’s return type, is on the function’s own execution type (`… on DeidentifyExecution { output { … } }`).',
    fields: () => ({
      ...fields,
      // The same fields without the resolvers, which belong to the object types.
      outputJson: { type: outputJson!.type, description: outputJson!.description ?? null },
      events: { type: events!.type, description: events!.description ?? null },
    }),
    resolveType: (execution: Execution) => typeOf(execution.functionName),
  });
}

/** `executions(…)` as a Relay connection. */
export function connectionType(execution: GraphQLInterfaceType): GraphQLObjectType {
  const edge = new GraphQLObjectType<Execution, GraphQLContext>({
    name: 'ExecutionEdge',
    fields: {
      cursor: {
        type: nonNull(GraphQLString),
        resolve: (node, _args, context) => context.operations.cursorOf(node),
      },
      node: { type: nonNull(execution), resolve: (node) => node },
    },
  });
  const pageInfo = new GraphQLObjectType({
    name: 'PageInfo',
    fields: {
      hasNextPage: { type: nonNull(GraphQLBoolean) },
      hasPreviousPage: { type: nonNull(GraphQLBoolean), description: 'Always false: pages go forward only.' },
      startCursor: { type: GraphQLString },
      endCursor: { type: GraphQLString, description: 'Pass it as `after` for the next page.' },
    },
  });
  return new GraphQLObjectType({
    name: 'ExecutionConnection',
    description: 'Executions, newest first.',
    fields: {
      edges: { type: listOf(edge) },
      nodes: { type: listOf(execution) },
      pageInfo: { type: nonNull(pageInfo) },
    },
  });
}

/** `functions`. */
export const FunctionInfoType = new GraphQLObjectType({
  name: 'FunctionInfo',
  fields: {
    name: { type: nonNull(GraphQLString) },
    mutation: { type: nonNull(GraphQLString), description: 'The mutation that runs it.' },
    mode: { type: nonNull(ExecutionModeEnum) },
    title: { type: GraphQLString },
    description: { type: GraphQLString },
    params: { type: nonNull(JSONScalar), description: 'The JSON Schema of its inputs.' },
    returns: { type: nonNull(JSONScalar), description: 'The JSON Schema of its result.' },
  },
});
