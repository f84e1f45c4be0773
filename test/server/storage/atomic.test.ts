import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import knexFactory, { type Knex } from 'knex';
import { atomically, type Statement } from '../../../server/storage/atomic.js';
import { columnsFor } from '../../../server/storage/columns.js';
import { openDatabase, UnknownKnexError } from '../../../server/storage/database.js';
import { migrate } from '../../../server/storage/migrate.js';
import { readRow } from '../../../server/storage/read-row.js';
import { EVENTS_TABLE, EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';

for (const kind of DATABASE_KINDS) {
  describe(`atomically() on ${kind}`, () => {
    let db: TestDatabase;
    /** Also a second pool on the same database, as another process would have. */
    let second: Knex | undefined;
    let counter = 0;

    before(async () => {
      db = await createTestDatabase(kind, 'atomic');
      await migrate(db.knex);
      second = openDatabase(db.url, { poolSize: 2 });
    });
    after(async () => {
      await second?.destroy();
      await db?.destroy();
    });

    const transports = () =>
      [
        ['openDatabase', db.knex],
        ['a second pool', second!],
      ] as const;

    function execution(knex: Knex, status = 'created'): Record<string, unknown> & { id: string } {
      const columns = columnsFor(knex);
      const now = columns.time(Date.now());
      return {
        id: `atomic-${++counter}`,
        func_name: 'job',
        mode: 'async',
        status,
        input_json: '{}',
        attempts: 0,
        created_at: now,
        updated_at: now,
        worker_id: null,
      };
    }
    const event = (id: string, to: string) => ({
      execution_id: id,
      func_name: 'job',
      at: columnsFor(db.knex).time(Date.now()),
      kind: 'status',
      from_status: null,
      to_status: to,
      data_json: null,
    });
    const eventsOf = async (id: string) =>
      (await db.knex(EVENTS_TABLE).where({ execution_id: id }).orderBy('id')).map((e) => e.to_status);

    it('writes every statement and returns the ids of a multi-row insert in order', async () => {
      for (const [, knex] of transports()) {
        const row = execution(knex);
        const results = await atomically(knex, [
          { insert: EXECUTIONS_TABLE, rows: [row] },
          {
            insert: EVENTS_TABLE,
            rows: [event(row.id, 'created'), event(row.id, 'started'), event(row.id, 'validated')],
          },
        ]);
        assert.ok(results);
        const stored = await db.knex(EVENTS_TABLE).where({ execution_id: row.id }).orderBy('id');
        assert.deepEqual(
          results[1]!.insertIds,
          stored.map((e) => Number(e.id)),
        );
        assert.deepEqual(
          stored.map((e) => e.to_status),
          ['created', 'started', 'validated'],
        );
      }
    });

    it('writes nothing when a conditional update matches no row, and says so with null', async () => {
      for (const [, knex] of transports()) {
        const row = execution(knex);
        await atomically(knex, [{ insert: EXECUTIONS_TABLE, rows: [row] }]);
        const lost: Statement[] = [
          {
            update: EXECUTIONS_TABLE,
            set: { status: 'started' },
            where: { id: row.id, status: 'running' },
            expect: 1,
          },
          { insert: EVENTS_TABLE, rows: [event(row.id, 'started')] },
        ];
        assert.equal(await atomically(knex, lost), null);
        assert.deepEqual(await eventsOf(row.id), []);
        assert.equal(
          (await readRow(knex, { select: EXECUTIONS_TABLE, where: { id: row.id } }))?.status,
          'created',
        );
      }
    });

    it('matches NULL conditions with IS NULL and other values by equality', async () => {
      for (const [, knex] of transports()) {
        const row = execution(knex);
        await atomically(knex, [{ insert: EXECUTIONS_TABLE, rows: [row] }]);
        const claim = (worker: string | null) =>
          atomically(knex, [
            {
              update: EXECUTIONS_TABLE,
              set: { worker_id: 'w2' },
              where: { id: row.id, worker_id: worker },
              expect: 1,
            },
          ]);
        assert.equal(await claim('w1'), null);
        assert.ok(await claim(null));
        assert.equal(await claim(null), null);
        assert.ok(await claim('w2'));
      }
    });

    it('stores a NUL in plain text (PostgreSQL: as U+FFFD, its text cannot hold one), and a lookup by one finds nothing there', async () => {
      const row = { ...execution(db.knex), traceback: 'Error: a\u0000b' };
      assert.ok(await atomically(db.knex, [{ insert: EXECUTIONS_TABLE, rows: [row] }]));
      const stored = await readRow(db.knex, { select: EXECUTIONS_TABLE, where: { id: row.id } });
      assert.equal(stored?.traceback, kind === 'postgres' ? 'Error: a\uFFFDb' : 'Error: a\u0000b');
      assert.equal(
        await readRow(db.knex, { select: EXECUTIONS_TABLE, where: { id: `${row.id}\u0000` } }),
        undefined,
      );
    });

    it('rolls back the statements before one that fails', async () => {
      for (const [, knex] of transports()) {
        const row = execution(knex);
        await atomically(knex, [{ insert: EXECUTIONS_TABLE, rows: [row] }]);
        const again = execution(knex);
        await assert.rejects(
          atomically(knex, [
            { insert: EVENTS_TABLE, rows: [event(again.id, 'created')] },
            { insert: EXECUTIONS_TABLE, rows: [{ ...again, id: row.id }] }, // duplicate primary key
          ]),
        );
        assert.deepEqual(await eventsOf(again.id), []);
        // The connection is usable afterwards: no transaction left open on it.
        assert.ok(await atomically(knex, [{ insert: EVENTS_TABLE, rows: [event(row.id, 'created')] }]));
        assert.deepEqual(await eventsOf(row.id), ['created']);
      }
    });
  });
}

describe('a Knex not opened by openDatabase()', () => {
  it('is refused with UnknownKnexError before any statement runs', async () => {
    const foreign = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    try {
      await assert.rejects(
        atomically(foreign, [{ insert: EXECUTIONS_TABLE, rows: [{ id: 'x' }] }]),
        (err: unknown) => err instanceof UnknownKnexError && err.type === 'UnknownKnex',
      );
      await assert.rejects(
        readRow(foreign, { select: EXECUTIONS_TABLE, where: { id: 'x' } }),
        UnknownKnexError,
      );
    } finally {
      await foreign.destroy();
    }
  });
});
