/**
 * What the middleware chain puts on `ctx.state` for the ones after it.
 */
import type { Logger } from '../executions/executions-service.js';

/** `ctx.state` of every request. */
export interface AppState {
  /** The request id: the client's `X-Request-Id` when it is sensible, else a fresh UUID. */
  requestId: string;
  /** The request's logger, carrying the request id. */
  log: Logger;
  /** The authenticated user's name; undefined when auth is off. */
  user?: string;
}
