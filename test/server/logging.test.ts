/**
 * A failed database write logs what failed, never the statement or its values: inputs (secrets
 * included) stay out of the logs. Real writes made to fail by a trigger, on SQLite and MariaDB.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Knex } from 'knex';
import { createLogger, serializeError } from '../../server/logging.js';
import { EVENTS_TABLE, EXECUTIONS_TABLE } from '../../server/storage/tables.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startApi, type ApiHarness } from './http/support/api-harness.js';

const SECRET = 'Sekr3t-in-a-failed-write';
const SQL_TEXT = /insert into|values\s*\(|turtle_executions|input_json/i;

/** Makes every insert into the executions table fail, as a full disk or a broken table would. */
async function refuseInserts(knex: Knex, kind: string): Promise<void> {
  if (kind === 'postgres') {
    await knex.raw(
      `CREATE FUNCTION refuse_inserts() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'inserts refused'; END $$`,
    );
    await knex.raw(
      `CREATE TRIGGER refuse_inserts BEFORE INSERT ON ${EXECUTIONS_TABLE} FOR EACH ROW EXECUTE FUNCTION refuse_inserts()`,
    );
    return;
  }
  await knex.raw(
    kind === 'sqlite'
      ? `CREATE TRIGGER refuse_inserts BEFORE INSERT ON ${EXECUTIONS_TABLE} BEGIN SELECT RAISE(ABORT, 'inserts refused'); END`
      : `CREATE TRIGGER refuse_inserts BEFORE INSERT ON ${EXECUTIONS_TABLE} FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'inserts refused'`,
  );
}

for (const kind of DATABASE_KINDS) {
  describe(`logged database errors on ${kind}`, () => {
    let api: ApiHarness;
    const lines: string[] = [];
    before(async () => {
      const logger = createLogger(
        { name: 'turtle-shell' },
        {
          write: (line: string) => {
            lines.push(line);
          },
        },
      );
      api = await startApi(kind, { logger });
      await refuseInserts(api.db.knex, kind);
    });
    after(() => api.close());

    test('a failed create is logged with its error code and message, without the SQL or the secret', async () => {
      const res = await api.request('/api/functions/connect/executions', {
        method: 'POST',
        json: { server: { host: 'db', password: SECRET } },
      });
      assert.equal(res.status, 500);
      const failure = lines.map((line) => JSON.parse(line)).find((entry) => entry.err);
      assert.ok(failure, lines.join('\n'));
      assert.match(failure.err.message, /inserts refused/);
      assert.ok(failure.err.code, 'the driver error code is kept');
      assert.match(failure.err.stack, /\n\s+at /, 'the stack frames are kept');
      for (const line of lines) {
        assert.ok(!line.includes(SECRET), `a log line carries the secret: ${line}`);
        assert.doesNotMatch(line, SQL_TEXT);
      }
    });

    test('a failed query-builder write (knex puts the SQL, values inlined, in the message) is logged without them', async () => {
      let thrown: unknown;
      try {
        await api.db.knex(EXECUTIONS_TABLE).insert({
          id: 'x',
          func_name: 'connect',
          mode: 'async',
          status: 'created',
          input_json: JSON.stringify({ password: SECRET }),
          attempts: 0,
          created_at: kind === 'sqlite' ? 0 : new Date(0),
          updated_at: kind === 'sqlite' ? 0 : new Date(0),
        });
      } catch (err) {
        thrown = err;
      }
      // pg: knex's message has `$1` placeholders, not values; a row that breaks a constraint is quoted in `detail`.
      if (kind === 'postgres') {
        try {
          await api.db.knex(EVENTS_TABLE).insert({
            execution_id: 'y',
            func_name: 'connect',
            kind: 'progress',
            at: null,
            data_json: JSON.stringify({ password: SECRET }),
          });
        } catch (err) {
          thrown = err;
        }
      }
      assert.ok(
        thrown instanceof Error && `${thrown.message} ${JSON.stringify(thrown)}`.includes(SECRET),
        'the raw error does carry the secret',
      );
      const written: string[] = [];
      createLogger(
        {},
        {
          write: (line: string) => {
            written.push(line);
          },
        },
      ).error({ err: thrown }, 'write failed');
      const entry = JSON.parse(written[0]!);
      assert.match(entry.err.message, kind === 'postgres' ? /null value in column "at"/ : /inserts refused/);
      assert.doesNotMatch(written[0]!, SQL_TEXT);
      assert.ok(!written[0]!.includes(SECRET));
    });
  });
}

describe('serializeError', () => {
  test('drops sql and bindings, masks quoted values in driver messages, keeps codes and causes', () => {
    const driver = Object.assign(new Error("Duplicate entry 'hunter2' for key 'turtle_idem'"), {
      code: 'ER_DUP_ENTRY',
      errno: 1062,
      sqlState: '23000',
      sql: "insert into t values ('hunter2')",
      bindings: ['hunter2'],
    });
    const wrapped = new Error('could not record', { cause: driver });
    const out = serializeError(wrapped) as Record<string, any>;
    assert.equal(out.message, 'could not record');
    assert.equal(out.cause.message, "Duplicate entry '…' for key 'turtle_idem'");
    assert.equal(out.cause.code, 'ER_DUP_ENTRY');
    assert.equal(out.cause.errno, 1062);
    assert.equal(out.cause.sqlState, '23000');
    assert.ok(!JSON.stringify(out).includes('hunter2'));
    assert.equal(serializeError('not an error'), 'not an error');
  });
});
