/**
 * `createApp(options)`: the Koa application of the JSON API. It never listens; `server/main.ts` (or a
 * test) does, so the app can be driven over any server.
 *
 * Middleware order, outermost first: request id + log line, security headers, compression of large
 * JSON answers, CORS (before auth, so
 * preflights need no token), the error middleware, typed 404/405/501 for what nothing answered, then
 * two routers: the public one (`/healthz`, the elements bundle, `/api/openapi.json`) and the API's,
 * which runs auth before any of its routes (Koa-router runs a router's `use` middleware exactly when
 * one of its routes matched, so auth is attached to the routes, not decided by matching path
 * strings), and `/graphql` when `graphql` is on; then static files (public) for what no route answered. Every router matches paths
 * case-sensitively and strictly (`create-router.ts`). Few layers: each one costs every request a turn
 * through it.
 *
 * @example
 * const app = createApp({ executions, functions, knex });
 * app.listen(3000);
 */
import Koa from 'koa';
import type { Manifest } from '../../manifest/manifest.js';
import type { AppContextDeps, CreateAppOptions } from './app-options.js';
import type { AppState } from './app-state.js';
import { authEnabled, authMiddleware } from './auth.js';
import { compressJson } from './compression.js';
import { corsMiddleware } from './cors.js';
import { createRouter } from './create-router.js';
import { ELEMENTS_PATH, elementsBundleRoute } from './elements-bundle.js';
import { errorsMiddleware } from './errors-middleware.js';
import { createExecutionPresenter } from '../presentation/execution-presenter.js';
import { healthRoute } from './health.js';
import { createOpenApiDocument } from './openapi.js';
import { requestContext } from './request-context.js';
import { securityHeaders } from './security-headers.js';
import { staticFiles } from './static-files.js';
import { answerUnmatched } from './unmatched.js';
import { eventsRouter } from './routes/events.js';
import { executionsRouter } from './routes/executions.js';
import { functionsRouter } from './routes/functions.js';
import { schedulesRouter } from './routes/schedules.js';
import { ConfigError, DEFAULT_BODY_LIMIT } from '../config.js';
import { mountGraphql } from '../graphql/mount-graphql.js';
import { createLogger } from '../logging.js';

/**
 * Builds the API's Koa application. Throws `ConfigError` for `ownExecutionsOnly` without auth
 * (no `tokens`, no `authenticate`): with nobody identified, "own" would mean nothing; and for a
 * `scheduler` option, which now belongs to `createExecutions`.
 */
export function createApp(options: CreateAppOptions): Koa<AppState> {
  const authOn = authEnabled(options);
  if (options.ownExecutionsOnly && !authOn) {
    throw new ConfigError(
      'ownExecutionsOnly needs auth: give tokens (TURTLE_TOKENS) or an authenticate hook',
      { setting: 'ownExecutionsOnly', value: 'true' },
    );
  }
  // Background runs now reach the scheduler through the executions service; an old caller's option
  // would be ignored in silence and its executions would wait for the sweep.
  if ('scheduler' in options) {
    throw new ConfigError(
      'createApp no longer takes a scheduler: give it to createExecutions({ scheduler }) instead',
      { setting: 'scheduler', value: 'given' },
    );
  }
  const logger = options.logger ?? createLogger({ name: 'turtle-shell' });
  const manifest = boundManifest(options.functions);
  const deps: AppContextDeps = {
    executions: options.executions,
    manifest,
    authorize: options.authorize,
    ownExecutionsOnly: options.ownExecutionsOnly ?? false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    eventsPollMs: options.eventsPollMs ?? 500,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    signal: options.signal,
    logger,
    present: createExecutionPresenter(manifest, { exposeTracebacks: options.exposeTracebacks ?? true }),
  };
  const app = new Koa<AppState>({ proxy: false });
  // Errors are answered and logged by errorsMiddleware; Koa's own printing would only duplicate them.
  app.silent = true;

  app.use(requestContext(logger));
  app.use(securityHeaders());
  app.use(compressJson());
  if (options.corsOrigins?.length) app.use(corsMiddleware({ origins: options.corsOrigins }));
  app.use(errorsMiddleware());

  const openapi = createOpenApiDocument(deps.manifest, { bearerAuth: authOn });
  // Public: the probe, the elements bundle and the API's description (routes and input schemas, the
  // same for every user, so a client can be generated without a token; no data of any execution).
  const publicRouter = createRouter();
  publicRouter.get('/healthz', healthRoute(options.knex));
  publicRouter.get(ELEMENTS_PATH, elementsBundleRoute({ dir: options.elementsDir, logger }));
  publicRouter.get('/api/openapi.json', (ctx) => {
    ctx.body = openapi;
  });
  // Every route that reads or changes functions and executions: auth first, for each of them.
  const apiRouter = createRouter();
  if (authOn) apiRouter.use(authMiddleware(options));
  for (const part of [functionsRouter(deps), executionsRouter(deps), eventsRouter(deps)])
    apiRouter.use(part.routes());
  if (options.schedules) apiRouter.use(schedulesRouter(deps, options.schedules).routes());
  // `/graphql` (off by default): the same service, auth and limits as the routes above.
  if (options.graphql)
    mountGraphql(deps, options.graphql === true ? {} : options.graphql, { publicRouter, apiRouter }, logger);

  app.use(answerUnmatched([publicRouter, apiRouter]));
  app.use(publicRouter.routes());
  app.use(apiRouter.routes());
  if (options.staticDir) app.use(staticFiles(options.staticDir));
  return app;
}

/** The manifest as bound: only registered functions, with their `title` / widget overrides. */
function boundManifest(functions: CreateAppOptions['functions']): Manifest {
  return {
    ...functions.manifest,
    functions: Object.fromEntries(functions.list().map((fn) => [fn.name, fn.manifest])),
  };
}
