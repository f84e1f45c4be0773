/**
 * First middleware: gives every request an id (`X-Request-Id` in and out), a child logger carrying
 * it, and one structured log line when the response is done.
 */
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { AppState } from './app-state.js';

// A client-supplied id is echoed and logged, so keep it short and free of control characters.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Sets `ctx.state.requestId` and `ctx.state.log`, and logs each request at `info`. */
export function requestContext(logger: Logger): Middleware<AppState> {
  return async function withRequestContext(ctx, next) {
    const incoming = ctx.get('X-Request-Id');
    const requestId = SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = new RequestLog(logger, requestId);
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      if (logger.isLevelEnabled('info')) {
        logger.info(
          {
            requestId,
            method: ctx.method,
            path: ctx.path,
            status: ctx.status,
            ms: Math.round((performance.now() - started) * 10) / 10,
            user: ctx.state.user,
          },
          'request',
        );
      }
    }
  };
}

/**
 * The request's logger: a pino child carrying the request id, made on first use. A child logger
 * costs more than a request's own work, and most requests log nothing but their one line.
 */
class RequestLog {
  #child: Logger | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly requestId: string,
  ) {}

  warn(object: object, message?: string): void {
    this.#logger().warn(object, message);
  }

  error(object: object, message?: string): void {
    this.#logger().error(object, message);
  }

  #logger(): Logger {
    return (this.#child ??= this.logger.child({ requestId: this.requestId }));
  }
}
