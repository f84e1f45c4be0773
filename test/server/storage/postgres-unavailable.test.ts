import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { isDatabaseUnavailable } from '../../../server/storage/database-errors.js';
import { openDatabase } from '../../../server/storage/database.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';

/** PostgreSQL's own ways of saying "not now", on the shared server (nothing here stops or freezes it). */
describe('PostgreSQL errors that mean the database is unavailable', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase('postgres', 'pg_unavailable');
  });
  after(async () => {
    await db.destroy();
  });

  it('a session ended by the server (57P01) is unavailable, and the pool then opens a new one', async () => {
    const knex = openDatabase(db.url, { poolSize: 1 });
    try {
      const {
        rows: [own],
      } = await knex.raw<{ rows: Array<{ pid: number }> }>('SELECT pg_backend_pid() AS pid');
      // Ended while it runs a statement, so that statement hears it.
      const running = knex.raw('SELECT pg_sleep(30)').then(
        () => undefined,
        (e: unknown) => e,
      );
      for (let ended = false; !ended;) {
        const { rows } = await db.knex.raw<{ rows: Array<{ ended: boolean }> }>(
          "SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE pid = ? AND query LIKE 'SELECT pg_sleep%'",
          [own!.pid],
        );
        ended = rows[0]?.ended === true;
      }
      const err = await running;
      assert.equal((err as { code?: string } | undefined)?.code, '57P01', String(err));
      assert.ok(isDatabaseUnavailable(err));
      // The pool learns that the socket closed when pg reports its end: a query may still fail, as unavailable.
      let again: number | undefined;
      for (let attempt = 0; again === undefined; attempt++) {
        try {
          again = (await knex.raw<{ rows: Array<{ pid: number }> }>('SELECT pg_backend_pid() AS pid'))
            .rows[0]!.pid;
        } catch (retryErr) {
          assert.ok(isDatabaseUnavailable(retryErr) && attempt < 3, String(retryErr));
        }
      }
      assert.notEqual(again, own!.pid);
    } finally {
      await knex.destroy();
    }
  });

  it('a statement cancelled by a time limit (57014) is unavailable; a wrong statement is not', async () => {
    const cancelled = await db.knex
      .transaction(async (trx) => {
        await trx.raw('SET LOCAL statement_timeout = 10');
        return trx.raw('SELECT pg_sleep(5)').then(
          () => undefined,
          (e: unknown) => e,
        );
      })
      .catch((e: unknown) => e);
    assert.equal((cancelled as { code?: string }).code, '57014');
    assert.ok(isDatabaseUnavailable(cancelled));
    const wrong = await db.knex.raw('SELECT * FROM no_such_table').then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.equal((wrong as { code?: string }).code, '42P01');
    assert.equal(isDatabaseUnavailable(wrong), false);
  });

  it('a server that accepts connections but never answers fails the wait within the time limit, as unavailable', async () => {
    // A listener that never speaks PostgreSQL stands for a frozen server: pg's connection timeout ends the wait.
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const knex = openDatabase(`postgres://postgres@127.0.0.1:${port}/x`, { timeoutMs: 300 });
    try {
      const err = await knex.raw('SELECT 1').then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err, 'the query failed');
      assert.ok(isDatabaseUnavailable(err), (err as Error).message);
    } finally {
      await knex.destroy();
      silent.close();
    }
  });
});
