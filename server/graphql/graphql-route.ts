/**
 * `/graphql`: the GraphQL endpoint, a second door onto the same executions service as `/api`.
 * graphql-http's Koa handler speaks GraphQL over HTTP (GET for queries, POST for everything, 405 /
 * 415 / 400 as the spec says); this module only hands it what the JSON API's routes have too: the
 * request body read with the same limit, content codings and exact JSON parser (413, 415, 400
 * `InvalidJson` in the JSON API's error shape), the `Idempotency-Key` header checked the same way,
 * the request's user (auth runs before this route, attached to the router by `createApp`), the
 * bounds on depth and cost, and errors made safe with the request id.
 */
import type Router from '@koa/router';
import type { GraphQLSchema } from 'graphql';
import { createHandler } from 'graphql-http/lib/use/koa';
import type { Middleware, ParameterizedContext } from 'koa';
import type { AppContextDeps } from '../http/app-options.js';
import type { AppState } from '../http/app-state.js';
import { createRouter } from '../http/create-router.js';
import { parseExactJson } from '../http/exact-json.js';
import { InvalidRequest } from '../http/http-errors.js';
import { hasRequestBody, readJsonText } from '../http/json-body.js';
import { IDEMPOTENCY_KEY } from '../http/routes/functions.js';
import { executionOperations } from './execution-operations.js';
import { safeGraphQLError, type ErrorScope } from './graphql-errors.js';
import type { GraphQLContext } from './graphql-context.js';
import { documentPreparer } from './prepared-documents.js';
import type { QueryLimits } from './query-limits.js';

/** The path of the endpoint. */
export const GRAPHQL_PATH = '/graphql';

/** The context graphql-http hands each operation: the resolvers' and the error scope. */
type OperationContext = {
  operations: GraphQLContext['operations'];
  log: ErrorScope['log'];
  requestId: string;
};

/** Reads a POST body as `jsonBody` does, leaving content types other than JSON to graphql-http (415). */
function graphqlBody(limit: number): Middleware<AppState> {
  return async function readGraphqlBody(ctx, next) {
    if (ctx.method === 'POST' && hasRequestBody(ctx)) {
      const text = await readJsonText(ctx, limit);
      const json = ctx.is('application/json') !== false && text.trim() !== '';
      (ctx.request as { body?: unknown }).body = json ? parseExactJson(text, 64) : text;
    }
    await next();
  };
}

/** The GraphQL routes over `schema`, answering for `deps`'s executions service. */
export function graphqlRouter(
  deps: AppContextDeps,
  schema: GraphQLSchema,
  limits: QueryLimits,
): Router<AppState> {
  const prepare = documentPreparer(schema, limits);
  const handler = createHandler<OperationContext>({
    schema,
    context: (req) => {
      // graphql-http's Koa adapter hands over Koa's response, which knows its context.
      const ctx = (req.context as { res: { ctx: ParameterizedContext<AppState> } }).res.ctx;
      const key = ctx.get('Idempotency-Key');
      return {
        operations: executionOperations(deps, {
          user: ctx.state.user,
          idempotencyKey: key === '' ? undefined : key,
        }),
        log: ctx.state.log,
        requestId: ctx.state.requestId,
      };
    },
    // Parsed, validated and costed here (once per document text, see prepared-documents.ts);
    // graphql-http then only runs it.
    onSubscribe: (_req, params) => {
      const prepared = prepare(params.query, params.variables, params.operationName);
      if ('errors' in prepared) return prepared.errors;
      return {
        schema,
        document: prepared.document,
        variableValues: params.variables,
        operationName: params.operationName,
      };
    },
    onOperation: (_req, args, result) => {
      if (!result.errors) return result;
      const scope = args.contextValue!;
      return { ...result, errors: result.errors.map((error) => safeGraphQLError(error, scope)) };
    },
  });

  const checkKey: Middleware<AppState> = async (ctx, next) => {
    const key = ctx.get('Idempotency-Key');
    if (key !== '' && !IDEMPOTENCY_KEY.test(key)) {
      throw new InvalidRequest('Idempotency-Key must be 1-200 printable ASCII characters', {
        header: 'Idempotency-Key',
      });
    }
    await next();
  };

  const router = createRouter();
  router.get(GRAPHQL_PATH, checkKey, handler);
  router.post(GRAPHQL_PATH, checkKey, graphqlBody(deps.bodyLimit), handler);
  return router;
}
