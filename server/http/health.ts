/**
 * `GET /healthz`: 200 when the database answers, 503 `DatabaseUnavailable` when it does not (within
 * a couple of seconds, so a load balancer's probe does not hang).
 */
import type { Knex } from 'knex';
import type { Middleware } from 'koa';
import { HttpError } from './http-errors.js';

/** How long the probe waits for the database; default 2000 ms. */
export const HEALTH_TIMEOUT_MS = 2000;

/** The handler of `GET /healthz`. */
export function healthRoute(knex: Knex): Middleware {
  return async function health(ctx) {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        knex.raw('select 1'),
        new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('timed out')), HEALTH_TIMEOUT_MS); }),
      ]);
    } catch (err) {
      ctx.state.log?.warn({ err }, 'health check failed');
      throw new HttpError('DatabaseUnavailable', 'The database does not answer', {});
    } finally {
      clearTimeout(timer);
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  };
}
