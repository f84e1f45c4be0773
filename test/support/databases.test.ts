import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './databases.js';

for (const kind of DATABASE_KINDS) {
  describe(`test databases on ${kind}`, () => {
    let db: TestDatabase;
    before(async () => {
      db = await createTestDatabase(kind, 'support');
    });
    after(async () => {
      await db.destroy();
    });

    it('keeps milliseconds of UTC timestamps', async () => {
      await db.knex.schema.createTable('t', (t) => {
        t.datetime('at', { precision: 3 });
      });
      const at = new Date('2026-01-02T03:04:05.678Z');
      await db.knex('t').insert({ at: kind === 'sqlite' ? at.getTime() : at });
      const row = await db.knex('t').first();
      assert.equal(new Date(row.at).toISOString(), at.toISOString());
    });
  });
}
