/**
 * `createApp(options)`: the Koa application of the JSON API. It never listens; `server/main.ts` (or a
 * test) does, so the app can be driven over any server.
 *
 * Middleware order, outermost first: request id + log line, security headers, CORS (before auth, so
 * preflights need no token), the error middleware, auth for `/api`, then one router for every route
 * (`/healthz` and the elements bundle are outside `/api`, so public), then static files (public) for
 * what no route answered. Few layers: each one costs every request a turn through it.
 *
 * @example
 * const app = createApp({ executions, manifest, knex, scheduler });
 * app.listen(3000);
 */
import Router from '@koa/router';
import Koa from 'koa';
import type { Middleware } from 'koa';
import serveStatic from 'koa-static';
import type { Manifest } from '../../manifest/manifest.js';
import type { AppContextDeps, CreateAppOptions } from './app-options.js';
import type { AppState } from './app-state.js';
import { authEnabled, authMiddleware } from './auth.js';
import { compressJson } from './compression.js';
import { corsMiddleware } from './cors.js';
import { ELEMENTS_PATH, elementsBundleRoute } from './elements-bundle.js';
import { errorsMiddleware } from './errors-middleware.js';
import { createExecutionPresenter } from './execution-presenter.js';
import { healthRoute } from './health.js';
import { MethodNotAllowed, RouteNotFound } from './http-errors.js';
import { createOpenApiDocument } from './openapi.js';
import { requestContext } from './request-context.js';
import { securityHeaders } from './security-headers.js';
import { eventsRouter } from './routes/events.js';
import { executionsRouter } from './routes/executions.js';
import { functionsRouter } from './routes/functions.js';
import { DEFAULT_BODY_LIMIT } from '../config.js';
import { createLogger } from '../logging.js';

/** Builds the API's Koa application. */
export function createApp(options: CreateAppOptions): Koa<AppState> {
  const logger = options.logger ?? createLogger({ name: 'turtle-shell' });
  const manifest = boundManifest(options.functions);
  const deps: AppContextDeps = {
    executions: options.executions,
    manifest,
    scheduler: options.scheduler,
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
  app.use(errorsMiddleware({ bodyLimit: deps.bodyLimit }));

  const auth = authEnabled(options) ? authMiddleware(options) : undefined;
  const openapi = createOpenApiDocument(deps.manifest, { bearerAuth: Boolean(auth) });
  const api: Middleware<AppState> = async (ctx, next) => {
    if (!ctx.path.startsWith('/api/') && ctx.path !== '/api') return next();
    return auth ? auth(ctx, next) : next();
  };
  app.use(api);

  // Whatever no route answered becomes a typed 404 / 405.
  app.use(async (ctx, next) => {
    await next();
    if (ctx.status === 405) throw new MethodNotAllowed(ctx.method, ctx.response.get('Allow').split(/,\s*/).filter(Boolean));
    if (ctx.status === 404 && ctx.body == null) throw new RouteNotFound(ctx.method, ctx.path);
  });
  // One router, so a request is matched once.
  const router = new Router<AppState>();
  router.get('/healthz', healthRoute(options.knex));
  router.get(ELEMENTS_PATH, elementsBundleRoute({ dir: options.elementsDir, logger }));
  router.get('/api/openapi.json', (ctx) => { ctx.body = openapi; });
  for (const part of [functionsRouter(deps), executionsRouter(deps), eventsRouter(deps)]) router.use(part.routes());
  app.use(router.routes());
  app.use(router.allowedMethods());
  if (options.staticDir) app.use(staticFiles(options.staticDir));
  return app;
}

/** The manifest as bound: only registered functions, with their `title` / widget overrides. */
function boundManifest(functions: CreateAppOptions['functions']): Manifest {
  return { ...functions.manifest, functions: Object.fromEntries(functions.list().map((fn) => [fn.name, fn.manifest])) };
}

/** Serves `dir` at `/`; only GET/HEAD, no dotfiles, `index.html` for folders. */
function staticFiles(dir: string): Middleware {
  const serve = serveStatic(dir, { index: 'index.html', hidden: false, defer: false });
  return async (ctx, next) => {
    if (ctx.path.startsWith('/api/')) return next();
    return serve(ctx as never, next);
  };
}
