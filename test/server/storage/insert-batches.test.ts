import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InsertBatches } from '../../../server/storage/insert-batches.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';

/** Group commit of inserts: many callers, one transaction, each caller's ids back in its row order. */
for (const kind of DATABASE_KINDS) {
  describe(`InsertBatches on ${kind}`, () => {
    let db: TestDatabase;
    let batches: InsertBatches;
    let counter = 0;

    before(async () => {
      db = await createTestDatabase(kind, 'insert_batches');
      await db.knex.schema.createTable('parents', (t) => {
        t.string('name', 64).primary();
        t.text('payload', 'mediumtext');
      });
      await db.knex.schema.createTable('children', (t) => {
        t.bigIncrements('id');
        t.string('parent', 64).notNullable();
        t.string('label', 64).notNullable();
        t.string('note', 64).nullable();
      });
      batches = new InsertBatches(db.knex);
    });
    after(async () => {
      await db.destroy();
    });

    const children = (parent: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ parent, label: `${parent}#${i}` }));

    it('gives every concurrent caller the ids of its own rows, in order', async () => {
      const names = Array.from({ length: 40 }, () => `p${++counter}`);
      // Varying row counts, so that slices do not line up by accident.
      const results = await Promise.all(
        names.map((name, i) =>
          batches.insert([
            { table: 'parents', rows: [{ name, payload: 'x' }] },
            { table: 'children', rows: children(name, (i % 4) + 1) },
          ]),
        ),
      );
      for (const [i, name] of names.entries()) {
        const [parentIds, childIds] = results[i]!;
        assert.equal(childIds!.length, (i % 4) + 1);
        const stored = await db.knex('children').whereIn('id', childIds!).orderBy('id');
        assert.deepEqual(
          stored.map((c) => c.label),
          children(name, (i % 4) + 1).map((c) => c.label),
        );
        assert.ok(parentIds!.length <= 1, 'a table without auto-increment gives no meaningful ids');
      }
      assert.equal(
        Number((await db.knex('parents').whereIn('name', names).count({ n: '*' }).first())!.n),
        names.length,
      );
    });

    it('keeps rows with other columns apart, each stored as given', async () => {
      const a = `p${++counter}`;
      const [[withNote], [without]] = await Promise.all([
        batches.insert([{ table: 'children', rows: [{ parent: a, label: 'with', note: 'kept' }] }]),
        batches.insert([{ table: 'children', rows: [{ parent: a, label: 'without' }] }]),
      ]);
      assert.equal((await db.knex('children').where({ id: withNote![0] }).first()).note, 'kept');
      assert.equal((await db.knex('children').where({ id: without![0] }).first()).label, 'without');
    });

    it('fails every caller of a batch with a bad row, stores none of it, and goes on with the next', async () => {
      const taken = `p${++counter}`;
      await batches.insert([{ table: 'parents', rows: [{ name: taken, payload: 'first' }] }]);
      const before = Number((await db.knex('children').count({ n: '*' }).first())!.n);
      const fresh = `p${++counter}`;
      const outcomes = await Promise.allSettled([
        batches.insert([
          { table: 'parents', rows: [{ name: fresh, payload: 'ok' }] },
          { table: 'children', rows: children(fresh, 2) },
        ]),
        batches.insert([{ table: 'parents', rows: [{ name: taken, payload: 'duplicate' }] }]),
      ]);
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['rejected', 'rejected'],
      );
      assert.equal(await db.knex('parents').where({ name: fresh }).first(), undefined);
      assert.equal((await db.knex('parents').where({ name: taken }).first()).payload, 'first');
      assert.equal(Number((await db.knex('children').count({ n: '*' }).first())!.n), before);
      const [, ids] = await batches.insert([
        { table: 'parents', rows: [{ name: fresh, payload: 'again' }] },
        { table: 'children', rows: children(fresh, 1) },
      ]);
      assert.equal(ids!.length, 1);
    });

    it('splits a large queue into several transactions and stores it all', async () => {
      // 30 × 600 KB: more than MariaDB's 16 MB max_allowed_packet in one statement.
      const big = 'y'.repeat(600_000);
      const names = Array.from({ length: 30 }, () => `p${++counter}`);
      await Promise.all(
        names.map((name) => batches.insert([{ table: 'parents', rows: [{ name, payload: big }] }])),
      );
      const stored = await db.knex('parents').whereIn('name', names).select('name', 'payload');
      assert.equal(stored.length, names.length);
      assert.ok(stored.every((p) => p.payload === big));
    });
  });
}
