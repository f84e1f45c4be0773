/**
 * `GET /healthz`: 200 when the database answers, 503 `DatabaseUnavailable` when it does not (within
 * a couple of seconds, so a load balancer's probe does not hang).
 */
import type { Knex } from 'knex';
import type { Middleware } from 'koa';
import { DatabaseUnavailable } from '../storage/database-errors.js';

/** How long the probe waits for the database; default 2000 ms. */
export const HEALTH_TIMEOUT_MS = 2000;

/** The handler of `GET /healthz`. */
export function healthRoute(knex: Knex): Middleware {
  return async function health(ctx) {
    let timer: NodeJS.Timeout | undefined;
    try {
      // Shorter than the query time limit of `openDatabase`, which still ends a probe left hanging here.
      await Promise.race([
        knex.raw('select 1'),
        new Promise((_, reject) => {
          timer = setTimeout(
            () =>
              reject(new DatabaseUnavailable(`The database did not answer within ${HEALTH_TIMEOUT_MS} ms`)),
            HEALTH_TIMEOUT_MS,
          );
        }),
      ]);
    } catch (err) {
      // Whatever stops `select 1` makes the database unavailable to this server (logged with its cause by the errors middleware).
      throw new DatabaseUnavailable('The database does not answer', { cause: err });
    } finally {
      clearTimeout(timer);
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  };
}
