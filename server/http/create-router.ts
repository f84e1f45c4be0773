/**
 * `createRouter()`: every router of the app is made here, so every route matches the same way.
 */
import Router from '@koa/router';
import type { AppState } from './app-state.js';

/**
 * A router whose paths match only as written: letter case counts (`/API/executions` is not
 * `/api/executions`) and so does a trailing slash (`/api/executions/` is not a route). One resource
 * has one URL, so what a proxy rule, a log line or a test says about a path is what the route sees.
 * A fresh options object each time: `Router#prefix()` writes into it.
 */
export function createRouter(): Router<AppState> {
  return new Router<AppState>({ sensitive: true, strict: true });
}
