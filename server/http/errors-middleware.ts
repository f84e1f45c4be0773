/**
 * The one error middleware: every error thrown below it becomes
 * `{ "error": { "type", "message", "details" } }` with the status its `type` maps to. Anything
 * unexpected answers 500 `InternalError` with a generic message and the request id, and is logged
 * with its stack; nothing internal reaches the client. An error saying the database is unavailable
 * (`isDatabaseUnavailable`: down, frozen past the time limit, locked) answers 503
 * `DatabaseUnavailable` with `Retry-After`.
 */
import type { Middleware } from 'koa';
import { HttpError } from './http-errors.js';
import { isMappedErrorType, STATUS_BY_ERROR_TYPE } from './status-codes.js';
import type { AppState } from './app-state.js';
import type { ErrorBody, TurtleErrorType } from '../../api/errors.js';
import { asDatabaseUnavailable } from '../storage/database-errors.js';

export type { ErrorBody };

/** The `Retry-After` (seconds) of a 503 `DatabaseUnavailable`: about how long a database restart or fail-over takes. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Catches every error from later middleware and answers it as JSON. */
export function errorsMiddleware(): Middleware<AppState> {
  return async function handleErrors(ctx, next) {
    try {
      await next();
    } catch (thrown) {
      // A lost, refused or timed-out database is not a bug of ours: 503, and the client may retry.
      const known = toKnownError(thrown) ?? toKnownError(asDatabaseUnavailable(thrown));
      if (known) {
        ctx.status = known.status;
        if (known.status === 401) ctx.set('WWW-Authenticate', 'Bearer realm="turtle-shell"');
        if (thrown instanceof HttpError) ctx.set(thrown.headers);
        if (known.body.type === 'DatabaseUnavailable')
          ctx.set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
        ctx.body = { error: known.body } satisfies ErrorBody;
        if (known.status >= 500) ctx.state.log.error({ err: thrown }, 'request failed');
        return;
      }
      ctx.state.log.error({ err: thrown }, 'unexpected error');
      ctx.status = 500;
      ctx.body = {
        error: {
          type: 'InternalError',
          message:
            'Something went wrong on the server; it has been logged. Quote the request id when reporting it.',
          details: { requestId: ctx.state.requestId },
        },
      } satisfies ErrorBody;
    }
  };
}

/** Types for client errors raised by libraries with only a status. */
const TYPE_BY_CLIENT_STATUS: Readonly<Record<number, TurtleErrorType>> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'RouteNotFound',
  405: 'MethodNotAllowed',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
};

interface KnownError {
  status: number;
  body: ErrorBody['error'];
}

/** A domain or HTTP error with a mapped `type`, or a library's client error; else null. */
function toKnownError(thrown: unknown): KnownError | null {
  if (!(thrown instanceof Error)) return null;
  const err = thrown as Error & { type?: unknown; status?: unknown; details?: unknown };
  if (typeof err.type === 'string' && isMappedErrorType(err.type)) {
    const details =
      err.details && typeof err.details === 'object' ? (err.details as Record<string, unknown>) : {};
    return {
      status: STATUS_BY_ERROR_TYPE[err.type]!,
      body: { type: err.type, message: err.message, details },
    };
  }
  // A client error from a library (http-errors, e.g. koa-send refusing a path) that may be shown.
  const exposed = err as { expose?: unknown; status?: unknown };
  if (
    exposed.expose === true &&
    typeof exposed.status === 'number' &&
    exposed.status >= 400 &&
    exposed.status < 500
  ) {
    const type = TYPE_BY_CLIENT_STATUS[exposed.status] ?? 'InvalidRequest';
    return { status: exposed.status, body: { type, message: err.message, details: {} } };
  }
  return null;
}
