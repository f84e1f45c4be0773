/**
 * What no route and no static file answered becomes a typed error (never an empty, HTML or 500
 * answer): 405 `MethodNotAllowed` with `Allow` when routes know the path for other methods, 501
 * `NotImplemented` for a method no route answers anywhere (`TRACE`, `PROPFIND`…), else 404
 * `RouteNotFound`. `OPTIONS` on a known path answers 204 with `Allow`.
 */
import type Router from '@koa/router';
import type { RouterContext } from '@koa/router';
import type { Middleware } from 'koa';
import type { AppState } from './app-state.js';
import { MethodNotAllowed, NotImplemented, RouteNotFound } from './http-errors.js';

/** The middleware for the app's `routers` (complete: their methods are read once, here). */
export function answerUnmatched(routers: ReadonlyArray<Router<AppState>>): Middleware<AppState> {
  const known = new Set([
    'OPTIONS',
    ...routers.flatMap((router) => router.stack.flatMap((layer) => layer.methods)),
  ]);
  return async function answerUnmatchedRequest(ctx, next) {
    await next();
    if (ctx.status !== 404 || ctx.body != null) return;
    // `ctx.matched`: every layer of the routers whose path matched, whatever the method.
    const matched = (ctx as unknown as Partial<RouterContext>).matched ?? [];
    const allowed = [...new Set(matched.flatMap((layer) => layer.methods))];
    if (allowed.length > 0) {
      ctx.set('Allow', allowed.join(', '));
      if (ctx.method === 'OPTIONS') {
        ctx.status = 204;
        return;
      }
      throw new MethodNotAllowed(ctx.method, allowed);
    }
    if (!known.has(ctx.method)) throw new NotImplemented(ctx.method);
    throw new RouteNotFound(ctx.method, ctx.path);
  };
}
