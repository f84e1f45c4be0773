/**
 * The GraphQL schema of a manifest: one mutation per function (arguments from its parameters,
 * answering its own execution type with a typed `output`), `cancelExecution` and `rerunExecution`,
 * and the queries `functions`, `execution(id)` and `executions(…)` (a Relay connection). Pure:
 * resolvers call the request's {@link GraphQLOperations}, so the same schema prints the SDL.
 * Functions are taken in name order, so one manifest always gives one schema.
 *
 * @throws GraphQLNameCollision when two functions, parameters, fields or enum values would share a
 *   GraphQL name (the error names both)
 */
import {
  GraphQLID,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  type GraphQLFieldConfigMap,
  type GraphQLOutputType,
} from 'graphql';
import { MAX_PAGE_SIZE, type Execution } from '../../api/execution.js';
import type { Manifest, ManifestFunction } from '../../manifest/manifest.js';
import {
  connectionType,
  executionFields,
  executionInterface,
  ExecutionStatusEnum,
  FIXED_TYPE_NAMES,
  FunctionInfoType,
} from './execution-types.js';
import type { ExecutionsQuery, GraphQLContext } from './graphql-context.js';
import { fromFields, InputTypes, inputFieldConfig } from './input-types.js';
import { graphqlName, NameRegistry, typeNamePart } from './names.js';
import { OutputTypes } from './output-types.js';
import { JSONScalar } from './scalars.js';

/** The page size of `executions` when `first` is not given. */
export const DEFAULT_FIRST = 50;

/** The mutations every schema has; a function may not take their names. */
const BUILT_IN_MUTATIONS = ['cancelExecution', 'rerunExecution'] as const;

/** The GraphQL name of the mutation that runs the function `name`. */
export function mutationName(name: string): string {
  return graphqlName(name);
}

/** Builds the schema of `manifest` (see the module comment). */
export function schemaFromManifest(manifest: Pick<Manifest, 'functions'>): GraphQLSchema {
  const names = new NameRegistry();
  for (const name of FIXED_TYPE_NAMES) names.claim(name, 'turtle-shell');
  const mutationNames = new NameRegistry();
  for (const name of BUILT_IN_MUTATIONS) mutationNames.claim(name, 'turtle-shell');

  const functions = Object.values(manifest.functions).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const typeNames = new Map<string, string>();
  const execution = executionInterface(
    (functionName) => typeNames.get(functionName) ?? 'UnregisteredExecution',
  );
  const executionTypes: GraphQLObjectType[] = [];
  const mutations: GraphQLFieldConfigMap<unknown, GraphQLContext> = {};

  for (const fn of functions) {
    const owner = `function ${JSON.stringify(fn.name)}`;
    const part = typeNamePart(fn.name);
    const output = new OutputTypes(names, fn.returns, owner).typeOf(fn.returns, `${part}Output`);
    const type = functionExecutionType(names.claim(`${part}Execution`, owner), fn, execution, {
      type: output.type,
      description: fn.returns.description,
    });
    typeNames.set(fn.name, type.name);
    executionTypes.push(type);
    const fields = new InputTypes(names, fn.params, owner).fieldsOf(
      fn.params.properties,
      fn.params.required ?? [],
      part,
    );
    mutations[mutationNames.claim(mutationName(fn.name), owner)] = {
      type: new GraphQLNonNull(type),
      description: mutationDescription(fn),
      args: inputFieldConfig(fields),
      resolve: (_root, args: Record<string, unknown>, context) =>
        context.operations.submit(fn.name, fromFields(fields, args)),
    };
  }
  const unregistered = functionExecutionType('UnregisteredExecution', undefined, execution, {
    type: JSONScalar,
    description: 'The result of a function no longer registered, untyped.',
  });
  const connection = connectionType(execution);
  const idArgs = { id: { type: new GraphQLNonNull(GraphQLID) } };

  const query = new GraphQLObjectType<unknown, GraphQLContext>({
    name: 'Query',
    fields: {
      functions: {
        type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(FunctionInfoType))),
        description: 'Every registered function, in name order.',
        resolve: (_root, _args, context) =>
          context.operations
            .functions()
            .map((fn) => ({ ...fn, mutation: mutationName(fn.name) }))
            .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      },
      execution: {
        type: execution,
        description: 'One execution; an ExecutionNotFound error when there is none you may see.',
        args: idArgs,
        resolve: (_root, args: { id: string }, context) => context.operations.get(args.id),
      },
      executions: {
        type: new GraphQLNonNull(connection),
        description: `Executions newest first, ${DEFAULT_FIRST} at a time unless \`first\` (1 to ${MAX_PAGE_SIZE}) says otherwise; pass \`pageInfo.endCursor\` as \`after\` for the next page.`,
        args: {
          function: { type: GraphQLString, description: 'Only executions of this function.' },
          status: { type: ExecutionStatusEnum },
          user: { type: GraphQLString },
          first: { type: GraphQLInt, defaultValue: DEFAULT_FIRST },
          after: { type: GraphQLString },
        },
        extensions: {
          complexity: ({ args, childComplexity }: { args: { first?: number }; childComplexity: number }) =>
            1 + childComplexity * Math.max(1, args.first ?? DEFAULT_FIRST),
        },
        resolve: async (
          _root,
          args: {
            function?: string | null;
            status?: string | null;
            user?: string | null;
            first: number;
            after?: string | null;
          },
          context,
        ) => {
          const query: ExecutionsQuery = { first: args.first };
          if (args.function != null) query.functionName = args.function;
          if (args.status != null) query.status = args.status as ExecutionsQuery['status'];
          if (args.user != null) query.user = args.user;
          if (args.after != null) query.after = args.after;
          const page = await context.operations.list(query);
          const first = page.items[0];
          const last = page.items.at(-1);
          return {
            edges: page.items,
            nodes: page.items,
            pageInfo: {
              hasNextPage: page.next !== null,
              hasPreviousPage: false,
              startCursor: first ? context.operations.cursorOf(first) : null,
              endCursor: last ? context.operations.cursorOf(last) : null,
            },
          };
        },
      },
    },
  });
  const mutation = new GraphQLObjectType<unknown, GraphQLContext>({
    name: 'Mutation',
    fields: {
      ...mutations,
      cancelExecution: {
        type: new GraphQLNonNull(execution),
        description: 'Cancels an execution that has not ended (IllegalTransition when it has).',
        args: idArgs,
        resolve: (_root, args: { id: string }, context) => context.operations.cancel(args.id),
      },
      rerunExecution: {
        type: new GraphQLNonNull(execution),
        description: 'A new execution with the same inputs (rerunOf set).',
        args: idArgs,
        resolve: (_root, args: { id: string }, context) => context.operations.rerun(args.id),
      },
    },
  });
  return new GraphQLSchema({ query, mutation, types: [...executionTypes, unregistered] });
}

/** A function's execution type: the interface's fields and `output`, typed. */
function functionExecutionType(
  name: string,
  fn: ManifestFunction | undefined,
  execution: ReturnType<typeof executionInterface>,
  output: { type: GraphQLOutputType; description: string | undefined },
): GraphQLObjectType {
  return new GraphQLObjectType<Execution, GraphQLContext>({
    name,
    ...(fn && { description: `An execution of ${fn.name}${fn.title ? ` (${fn.title})` : ''}.` }),
    interfaces: [execution],
    fields: () => ({
      ...executionFields(),
      output: {
        type: output.type,
        description: `The function’s result once done, else null.${output.description ? ` ${output.description}` : ''}`,
      },
    }),
  });
}

/** The mutation's description: the function's title and JSDoc, and when it answers. */
function mutationDescription(fn: ManifestFunction): string {
  const parts = [fn.title, fn.description].filter((p): p is string => Boolean(p));
  parts.push(
    fn.mode === 'sync'
      ? 'Runs in the request: answers the finished execution (done or errored).'
      : 'Runs in the background: answers the created execution at once; follow it with `execution(id)`.',
  );
  return parts.join('\n\n');
}
