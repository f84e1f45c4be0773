/**
 * The executions store: `turtle_executions` and its timeline `turtle_execution_events`.
 * Timestamps are `DATETIME(3)` (UTC) on MySQL/MariaDB, `timestamptz(3)` on PostgreSQL and epoch
 * milliseconds on SQLite: all sort and range-filter through an index. JSON is native `json` on
 * MySQL/MariaDB and text elsewhere: on PostgreSQL `jsonb` would reorder keys, drop duplicate ones
 * and refuse `\u0000`, and `json` would only add a parse on every write; text keeps exactly what
 * `JSON.stringify` wrote (a NUL inside a string is stored escaped, as `\u0000`).
 */
import type { Knex } from 'knex';
import type { DatabaseKind } from '../database.js';
import { EVENTS_TABLE, EXECUTIONS_TABLE } from '../tables.js';

export const name = '001-create-executions';

export async function up(knex: Knex, kind: DatabaseKind): Promise<void> {
  const mysql = kind === 'mysql';
  const time = (t: Knex.CreateTableBuilder, column: string) =>
    mysql
      ? t.datetime(column, { precision: 3 })
      : kind === 'postgres'
        ? t.timestamp(column, { useTz: true, precision: 3 })
        : t.bigInteger(column);
  const json = (t: Knex.CreateTableBuilder, column: string) => (mysql ? t.json(column) : t.text(column));

  await knex.schema.createTable(EXECUTIONS_TABLE, (t) => {
    // Keyset pages order ties by id: byte order on every database (PostgreSQL's default collation may be a locale's).
    if (kind === 'postgres') t.specificType('id', 'varchar(36) COLLATE "C"').primary();
    else t.string('id', 36).primary();
    t.string('func_name', 191).notNullable();
    t.string('mode', 8).notNullable();
    t.string('status', 16).notNullable();
    json(t, 'input_json').notNullable();
    json(t, 'output_json').nullable();
    json(t, 'error_json').nullable();
    t.text('traceback').nullable();
    json(t, 'state_json').nullable();
    json(t, 'progress').nullable();
    t.string('user', 191).nullable();
    t.integer('attempts').notNullable().defaultTo(0);
    time(t, 'created_at').notNullable();
    time(t, 'updated_at').notNullable();
    time(t, 'started_at').nullable();
    time(t, 'finished_at').nullable();
    t.string('rerun_of', 36).nullable();
    t.string('worker_id', 191).nullable();
    time(t, 'heartbeat_at').nullable();
    time(t, 'next_run_at').nullable();
    // Why the execution waits: 'poll' (call the poll hook next) or 'retry' (call the function again).
    t.string('wait_kind', 8).nullable();
    // Scoped by user: JSON [user, key], so one unique index covers "unique together with user".
    t.string('idempotency_key', 512).nullable().unique(`${EXECUTIONS_TABLE}_idempotency_unique`);
    // Newest first, overall and by function / status / user: (filter, created_at, id) serves keyset pages.
    t.index(['created_at', 'id'], `${EXECUTIONS_TABLE}_created_idx`);
    t.index(['func_name', 'created_at', 'id'], `${EXECUTIONS_TABLE}_func_created_idx`);
    t.index(['status', 'created_at', 'id'], `${EXECUTIONS_TABLE}_status_created_idx`);
    t.index(['user', 'created_at', 'id'], `${EXECUTIONS_TABLE}_user_created_idx`);
    // (status, created_at, id) also serves the scheduler's pending() sweep, so no separate (status, next_run_at) index.
  });

  await knex.schema.createTable(EVENTS_TABLE, (t) => {
    t.bigIncrements('id').primary();
    t.string('execution_id', 36).notNullable();
    t.string('func_name', 191).notNullable();
    time(t, 'at').notNullable();
    t.string('kind', 24).notNullable();
    t.string('from_status', 16).nullable();
    t.string('to_status', 16).nullable();
    json(t, 'data_json').nullable();
    t.index(['execution_id', 'id'], `${EVENTS_TABLE}_execution_idx`);
    t.index(['func_name', 'id'], `${EVENTS_TABLE}_func_idx`);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists(EVENTS_TABLE);
  await knex.schema.dropTableIfExists(EXECUTIONS_TABLE);
}
