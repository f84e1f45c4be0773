/**
 * Puts the GraphQL endpoint on `createApp`'s routers: the GraphiQL page and files on the public
 * router (no data, no token needed), `/graphql` itself on the API's router, behind the same auth,
 * CORS, body limit and request ids as `/api`. The schema is generated here, once, from the bound
 * manifest, so a name collision stops start-up.
 */
import type Router from '@koa/router';
import type { Logger } from 'pino';
import type { AppContextDeps } from '../http/app-options.js';
import type { AppState } from '../http/app-state.js';
import { GRAPHIQL_ASSETS, graphiqlRoutes } from './graphiql-page.js';
import { GRAPHQL_PATH, graphqlRouter } from './graphql-route.js';
import type { QueryLimits } from './query-limits.js';
import { schemaFromManifest } from './schema-from-manifest.js';

/** Options of the GraphQL endpoint (`createApp({ graphql })`). */
export interface GraphQLOptions extends QueryLimits {
  /** The folder `npm run build` wrote GraphiQL to; default the package's `dist/graphiql/`. */
  graphiqlDir?: string;
}

/** Adds `/graphql` and GraphiQL to the app's routers. @throws GraphQLNameCollision */
export function mountGraphql(
  deps: AppContextDeps,
  options: GraphQLOptions,
  routers: { publicRouter: Router<AppState>; apiRouter: Router<AppState> },
  logger: Logger,
): void {
  const schema = schemaFromManifest(deps.manifest);
  const graphiql = graphiqlRoutes({
    ...(options.graphiqlDir !== undefined && { dir: options.graphiqlDir }),
    logger,
  });
  routers.publicRouter.get(GRAPHQL_PATH, graphiql.page);
  for (const [name, url] of Object.entries(GRAPHIQL_ASSETS))
    routers.publicRouter.get(url, graphiql.asset(name as keyof typeof GRAPHIQL_ASSETS));
  routers.apiRouter.use(graphqlRouter(deps, schema, options).routes());
}
