import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MIGRATIONS, migrate } from '../../../server/storage/migrate.js';
import { openDatabase } from '../../../server/storage/database.js';
import {
  EVENTS_TABLE,
  EXECUTIONS_TABLE,
  FUNCTION_VERSIONS_TABLE,
  MIGRATIONS_TABLE,
} from '../../../server/storage/tables.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';

for (const kind of DATABASE_KINDS) {
  describe(`migrate on ${kind}`, () => {
    let db: TestDatabase;
    before(async () => {
      db = await createTestDatabase(kind, 'migrate');
    });
    after(async () => {
      await db.destroy();
    });

    it('creates the turtle_ tables once, when two processes start at once', async () => {
      const other = openDatabase(db.url);
      try {
        const [a, b] = await Promise.all([migrate(db.knex), migrate(other)]);
        assert.deepEqual(
          [...a, ...b].sort(),
          MIGRATIONS.map((m) => m.name),
          'each migration applied once, by one of them',
        );
      } finally {
        await other.destroy();
      }
      for (const table of [EXECUTIONS_TABLE, EVENTS_TABLE, FUNCTION_VERSIONS_TABLE, MIGRATIONS_TABLE]) {
        assert.ok(await db.knex.schema.hasTable(table), table);
      }
      const applied = await db.knex(MIGRATIONS_TABLE).select('name');
      assert.deepEqual(
        applied.map((r) => r.name),
        MIGRATIONS.map((m) => m.name),
      );
    });

    it('is idempotent', async () => {
      assert.deepEqual(await migrate(db.knex), []);
    });

    it('stores times with milliseconds and JSON natively where the database has it', async () => {
      if (kind === 'mysql') {
        const [rows] = (await db.knex.raw(
          'SELECT COLUMN_NAME AS c, DATA_TYPE AS t, DATETIME_PRECISION AS p FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
          [EXECUTIONS_TABLE],
        )) as [Array<{ c: string; t: string; p: number | null }>];
        const columns = Object.fromEntries(rows.map((r) => [r.c, r]));
        assert.equal(columns.created_at?.t, 'datetime');
        assert.equal(Number(columns.created_at?.p), 3);
        // MariaDB's JSON is LONGTEXT with a json_valid check; MySQL's is the json type.
        assert.ok(['json', 'longtext'].includes(columns.input_json!.t), columns.input_json!.t);
        await assert.rejects(
          db.knex(EXECUTIONS_TABLE).insert({
            id: 'x',
            func_name: 'f',
            mode: 'async',
            status: 'created',
            input_json: '{not json',
            attempts: 0,
            created_at: new Date(),
            updated_at: new Date(),
          }),
          'the database refuses text that is not JSON',
        );
      } else if (kind === 'postgres') {
        const { rows } = await db.knex.raw<{ rows: Array<{ c: string; t: string; p: number | null }> }>(
          'SELECT column_name AS c, data_type AS t, datetime_precision AS p FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?',
          [EXECUTIONS_TABLE],
        );
        const columns = Object.fromEntries(rows.map((r) => [r.c, r]));
        assert.equal(columns.created_at?.t, 'timestamp with time zone');
        assert.equal(Number(columns.created_at?.p), 3);
        // Text, not jsonb: stored exactly as written (jsonb reorders keys and refuses \u0000).
        assert.equal(columns.input_json?.t, 'text');
      } else {
        const info = await db.knex.raw<Array<{ name: string; type: string }>>(
          `PRAGMA table_info(${EXECUTIONS_TABLE})`,
        );
        const columns = Object.fromEntries(info.map((r) => [r.name, r.type]));
        assert.match(columns.created_at!, /bigint|integer/i);
        assert.match(columns.input_json!, /text/i);
      }
    });
  });
}
