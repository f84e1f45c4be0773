/**
 * `GET /healthz` when the database does not answer: 503 `DatabaseUnavailable`, quickly.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Koa from 'koa';
import { openDatabase } from '../../../server/storage/database.js';
import { healthRoute } from '../../../server/http/health.js';
import { errorsMiddleware } from '../../../server/http/errors-middleware.js';
import { pino } from 'pino';

test('an unreachable database makes /healthz answer 503 DatabaseUnavailable', async () => {
  // Port 1 on localhost refuses connections at once.
  const knex = openDatabase('mysql://root@127.0.0.1:1/none');
  const app = new Koa();
  app.silent = true;
  app.use(async (ctx, next) => {
    ctx.state.log = pino({ level: 'silent' });
    await next();
  });
  app.use(errorsMiddleware());
  app.use(healthRoute(knex));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(res.status, 503);
    assert.equal(((await res.json()) as { error: { type: string } }).error.type, 'DatabaseUnavailable');
  } finally {
    server.close();
    await knex.destroy();
  }
});
