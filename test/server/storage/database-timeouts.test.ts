/**
 * Every way the store reaches the database is bounded by `openDatabase`'s `timeoutMs`, fails with an
 * error `isDatabaseUnavailable` recognises while the database is down, frozen or locked, and works
 * again on the same Knex once it is back. Errors in statements are not "unavailable".
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Knex } from 'knex';
import { ConfigError, loadConfig } from '../../../server/config.js';
import { atomically } from '../../../server/storage/atomic.js';
import {
  DEFAULT_DATABASE_TIMEOUT_MS,
  openDatabase,
  databaseTimeoutMs,
} from '../../../server/storage/database.js';
import {
  DatabaseUnavailable,
  asDatabaseUnavailable,
  isDatabaseUnavailable,
} from '../../../server/storage/database-errors.js';
import { readRow } from '../../../server/storage/read-row.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { startPrivateMariadb, type PrivateMariadb } from '../../support/private-mariadb.js';

const TIMEOUT_MS = 500;

/** Every way the store sends a statement, against the table `probe (id, name)`. */
function operations(knex: Knex): Record<string, () => Promise<unknown>> {
  return {
    'a raw statement': () => knex.raw('select 1'),
    'a query builder': () => knex('probe').select('id'),
    'an insert': () => knex('probe').insert({ name: 'builder' }),
    'a single-row read (readRow)': () => readRow(knex, { select: 'probe', where: { id: 1 } }),
    'an atomic unit (atomically)': () => atomically(knex, [{ insert: 'probe', rows: [{ name: 'unit' }] }]),
  };
}

/** Runs every operation and returns, by name, the error it failed with (or 'ok'). */
async function outcomes(knex: Knex): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  // One after the other, as separate requests would: each must fail on its own within the limit.
  for (const [name, run] of Object.entries(operations(knex)))
    result[name] = await run().then(
      () => 'ok',
      (err: unknown) => err,
    );
  return result;
}

function assertAllUnavailable(results: Record<string, unknown>, when: string): void {
  for (const [name, outcome] of Object.entries(results)) {
    assert.ok(outcome instanceof Error, `${when}: ${name} failed`);
    assert.ok(
      isDatabaseUnavailable(outcome),
      `${when}: ${name} failed with an "unavailable" error, not ${String(outcome)}`,
    );
  }
}

function assertAllOk(results: Record<string, unknown>, when: string): void {
  for (const [name, outcome] of Object.entries(results))
    assert.equal(outcome, 'ok', `${when}: ${name} (${String(outcome)})`);
}

describe('MariaDB: down, frozen and back', () => {
  let mariadb: PrivateMariadb;
  let knex: Knex;

  before(async () => {
    mariadb = await startPrivateMariadb();
    knex = openDatabase(await mariadb.createDatabase('turtle_timeouts'), { timeoutMs: TIMEOUT_MS });
    await knex.schema.createTable('probe', (t) => {
      t.increments('id');
      t.string('name');
    });
  });
  after(async () => {
    await knex?.destroy();
    await mariadb?.destroy();
  });

  test('openDatabase keeps the time limit it was given', () => {
    assert.equal(databaseTimeoutMs(knex), TIMEOUT_MS);
  });

  test('frozen with connections open in the pool: every operation fails as unavailable; thawed: all work again', async () => {
    // One pooled connection per operation, open when the server stops (its kernel keeps them up):
    // each operation waits on its own connection until its own timer ends it.
    await Promise.all(
      Array.from({ length: Object.keys(operations(knex)).length }, () => knex.raw('select sleep(0.05)')),
    );
    await mariadb.freeze();
    let frozen: Record<string, unknown>;
    try {
      frozen = await outcomes(knex);
    } finally {
      mariadb.thaw();
    }
    assertAllUnavailable(frozen, 'frozen');
    for (const [name, err] of Object.entries(frozen)) {
      // Ended by the statement's own timer: Knex's for builders and raw statements, mysqlQuery's for the rest.
      const timedOut =
        err instanceof Error &&
        (err.name === 'KnexTimeoutError' || (err as { code?: string }).code === 'PROTOCOL_SEQUENCE_TIMEOUT');
      assert.ok(timedOut, `${name} timed out on its open connection, not ${String(err)}`);
    }
    assertAllOk(await outcomes(knex), 'thawed');
  });

  test('frozen with no connection open: opening one fails as unavailable; thawed: all work again', async () => {
    const fresh = openDatabase(`${mariadb.url}/turtle_timeouts`, { timeoutMs: TIMEOUT_MS });
    try {
      await mariadb.freeze();
      let frozen: unknown;
      try {
        frozen = await fresh.raw('select 1').then(
          () => 'ok',
          (err: unknown) => err,
        );
      } finally {
        mariadb.thaw();
      }
      assert.ok(isDatabaseUnavailable(frozen), `not ${String(frozen)}`);
      assertAllOk(await outcomes(fresh), 'thawed');
    } finally {
      await fresh.destroy();
    }
  });

  test('killed: every operation fails as unavailable; restarted: the same Knex works again, rows kept', async () => {
    const before = Number((await knex('probe').count<Array<{ n: number }>>({ n: '*' }))[0]!.n);
    await mariadb.kill();
    let down: Record<string, unknown>;
    try {
      down = await outcomes(knex);
    } finally {
      await mariadb.start();
    }
    assertAllUnavailable(down, 'killed');
    assertAllOk(await outcomes(knex), 'restarted');
    const now = Number((await knex('probe').count<Array<{ n: number }>>({ n: '*' }))[0]!.n);
    assert.ok(now >= before + 2, 'the rows written before are still there, and new ones are written');
  });

  test('errors of statements and of configuration are not "unavailable"', async () => {
    const syntax = await knex.raw('selec 1').catch((err: unknown) => err);
    assert.equal((syntax as { code?: string }).code, 'ER_PARSE_ERROR');
    assert.equal(isDatabaseUnavailable(syntax), false);
    const noTable = await readRow(knex, { select: 'no_such_table', where: { id: 1 } }).catch(
      (err: unknown) => err,
    );
    assert.equal(isDatabaseUnavailable(noTable), false);
    const stranger = openDatabase(`mysql://nobody:wrong@127.0.0.1:${mariadb.port}/turtle_timeouts`, {
      timeoutMs: TIMEOUT_MS,
    });
    try {
      const denied = await stranger.raw('select 1').catch((err: unknown) => err);
      assert.equal((denied as { code?: string }).code, 'ER_ACCESS_DENIED_ERROR');
      assert.equal(isDatabaseUnavailable(denied), false, 'a wrong password is a configuration error');
    } finally {
      await stranger.destroy();
    }
  });
});

describe('SQLite: a file locked by another connection', () => {
  let db: TestDatabase;
  let knex: Knex;

  before(async () => {
    db = await createTestDatabase('sqlite', 'timeouts');
    await db.knex.destroy();
    knex = openDatabase(db.url, { timeoutMs: TIMEOUT_MS });
    await knex.schema.createTable('probe', (t) => {
      t.increments('id');
      t.string('name');
    });
  });
  after(async () => {
    await knex?.destroy();
    await db?.destroy();
  });

  test('a write waiting past the busy timeout fails as unavailable; reads go on; unlocked: writes work again', async () => {
    // Another connection to the file, as another process would hold it.
    const locker = openDatabase(db.url);
    let write: unknown;
    let read: unknown;
    try {
      await locker.raw('BEGIN EXCLUSIVE');
      write = await atomically(knex, [{ insert: 'probe', rows: [{ name: 'locked out' }] }]).then(
        () => 'ok',
        (err: unknown) => err,
      );
      read = await readRow(knex, { select: 'probe', where: { id: 1 } }).then(
        () => 'ok',
        (err: unknown) => err,
      );
      await locker.raw('ROLLBACK');
    } finally {
      await locker.destroy();
    }
    assert.match(String((write as { code?: string }).code), /^SQLITE_BUSY/);
    assert.ok(isDatabaseUnavailable(write));
    assert.equal(read, 'ok', 'WAL: readers do not wait for a writer');
    assertAllOk(await outcomes(knex), 'unlocked');
  });

  test('a constraint error is not "unavailable"', async () => {
    const err = await knex
      .raw('insert into probe (id, name) values (1, ?), (1, ?)', ['a', 'b'])
      .catch((e: unknown) => e);
    assert.match(String((err as { code?: string }).code), /^SQLITE_CONSTRAINT/);
    assert.equal(isDatabaseUnavailable(err), false);
  });
});

test('asDatabaseUnavailable wraps an unavailable error as its cause, and leaves others alone', async () => {
  const refused = openDatabase('mysql://root@127.0.0.1:1/none', { timeoutMs: TIMEOUT_MS });
  try {
    const err = await refused.raw('select 1').catch((e: unknown) => e);
    const wrapped = asDatabaseUnavailable(err);
    assert.ok(wrapped instanceof DatabaseUnavailable);
    assert.equal(wrapped.type, 'DatabaseUnavailable');
    assert.equal(wrapped.cause, err);
    assert.ok(
      isDatabaseUnavailable(new Error('storing failed', { cause: err })),
      'found through a cause chain',
    );
    assert.equal(asDatabaseUnavailable(new TypeError('x')), undefined);
  } finally {
    await refused.destroy();
  }
});

test('TURTLE_DB_TIMEOUT_MS sets the time limit (default 5000 ms); it must be a whole number of at least 1', () => {
  assert.equal(DEFAULT_DATABASE_TIMEOUT_MS, 5000);
  assert.equal(loadConfig({}, {}).databaseTimeoutMs, 5000);
  assert.equal(loadConfig({}, { TURTLE_DB_TIMEOUT_MS: '750' }).databaseTimeoutMs, 750);
  for (const value of ['0', '-1', '1.5', 'soon']) {
    assert.throws(
      () => loadConfig({}, { TURTLE_DB_TIMEOUT_MS: value }),
      (err: unknown) => err instanceof ConfigError && err.details.setting === 'TURTLE_DB_TIMEOUT_MS',
      value,
    );
  }
});
