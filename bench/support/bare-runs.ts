/**
 * The baseline of `bench/api.ts`: what a hand-written Koa + Knex app must write to keep the same
 * durable record of a run as turtle-shell, in tables of its own shaped like turtle's (same columns,
 * types and indexes as `001-create-executions`), with none of turtle's validation, lifecycle checks,
 * row mapping or scheduling.
 */
import { v7 as uuidv7 } from 'uuid';
import type { Knex } from 'knex';
import type { BenchKind } from './bench-databases.js';

export const BARE_RUNS = 'bare_runs';
export const BARE_EVENTS = 'bare_run_events';

/** The columns a page of the list answers: the same as turtle's summaries (no input, output, state, traceback). */
export const BARE_SUMMARY_COLUMNS = [
  'id',
  'func_name',
  'mode',
  'status',
  'error_json',
  'progress',
  'user',
  'attempts',
  'created_at',
  'updated_at',
  'started_at',
  'finished_at',
  'rerun_of',
  'next_run_at',
] as const;

/** Creates the two tables: timestamps and JSON typed per database as turtle types them. */
export async function createBareTables(knex: Knex, kind: BenchKind): Promise<void> {
  const time = (t: Knex.CreateTableBuilder, column: string) =>
    kind === 'sqlite'
      ? t.bigInteger(column)
      : kind === 'mysql'
        ? t.datetime(column, { precision: 3 })
        : t.timestamp(column, { useTz: true, precision: 3 });
  const json = (t: Knex.CreateTableBuilder, column: string) =>
    kind === 'sqlite' ? t.text(column) : kind === 'mysql' ? t.json(column) : t.jsonb(column);
  await knex.schema.createTable(BARE_RUNS, (t) => {
    t.string('id', 36).primary();
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
    t.string('wait_kind', 8).nullable();
    t.string('idempotency_key', 512).nullable().unique(`${BARE_RUNS}_idempotency_unique`);
    t.index(['created_at', 'id'], `${BARE_RUNS}_created_idx`);
    t.index(['func_name', 'created_at', 'id'], `${BARE_RUNS}_func_created_idx`);
    t.index(['status', 'created_at', 'id'], `${BARE_RUNS}_status_created_idx`);
    t.index(['user', 'created_at', 'id'], `${BARE_RUNS}_user_created_idx`);
  });
  await knex.schema.createTable(BARE_EVENTS, (t) => {
    t.bigIncrements('id').primary();
    t.string('execution_id', 36).notNullable();
    t.string('func_name', 191).notNullable();
    time(t, 'at').notNullable();
    t.string('kind', 24).notNullable();
    t.string('from_status', 16).nullable();
    t.string('to_status', 16).nullable();
    json(t, 'data_json').nullable();
    t.index(['execution_id', 'id'], `${BARE_EVENTS}_execution_idx`);
    t.index(['func_name', 'id'], `${BARE_EVENTS}_func_idx`);
  });
}

/** A stored time: epoch ms on SQLite, a `Date` for the DATETIME / timestamptz columns. */
const timeOf = (kind: BenchKind) => (kind === 'sqlite' ? (ms: number) => ms : (ms: number) => new Date(ms));

/**
 * Runs `fn` on record, as turtle runs a function in the request: the row inserted as `running` with
 * its `created → started → validated → running` events in one transaction before `fn`, then updated
 * to `done` (only if still running and still ours) with its event in a second one.
 * @returns the finished row, as the app answers it
 */
export function recordedRun(knex: Knex, kind: BenchKind) {
  const time = timeOf(kind);
  return async (funcName: string, input: unknown, fn: () => unknown): Promise<Record<string, unknown>> => {
    const id = uuidv7();
    const start = Date.now();
    const event = (from: string | null, to: string, at: number) => ({
      execution_id: id,
      func_name: funcName,
      at: time(at),
      kind: 'status',
      from_status: from,
      to_status: to,
      data_json: null,
    });
    const row = {
      id,
      func_name: funcName,
      mode: 'sync',
      status: 'running',
      input_json: JSON.stringify(input),
      user: null,
      attempts: 1,
      worker_id: 'bare',
      heartbeat_at: time(start),
      started_at: time(start),
      created_at: time(start),
      updated_at: time(start),
    };
    await knex.transaction(async (trx) => {
      await trx(BARE_RUNS).insert(row);
      await trx(BARE_EVENTS).insert([
        event(null, 'created', start),
        event('created', 'started', start),
        event('started', 'validated', start),
        event('validated', 'running', start),
      ]);
    });
    const output = await fn();
    const end = Date.now();
    const done = {
      status: 'done',
      output_json: JSON.stringify(output),
      worker_id: null,
      heartbeat_at: null,
      finished_at: time(end),
      updated_at: time(end),
    };
    await knex.transaction(async (trx) => {
      const changed = await trx(BARE_RUNS).where({ id, status: 'running', worker_id: 'bare' }).update(done);
      if (changed !== 1) throw new Error(`bare run ${id} was taken from us`);
      await trx(BARE_EVENTS).insert(event('running', 'done', end));
    });
    return { ...row, ...done };
  };
}

/**
 * One page of runs newest first, keyset-paged over (created_at, id) like turtle's list: `cursor` is the
 * last row's (created_at, id) as base64url JSON. Rows are answered as the driver returns them.
 */
export function listPage(knex: Knex, kind: BenchKind) {
  const time = timeOf(kind);
  return async (limit: number, cursor?: string): Promise<{ items: unknown[]; next: string | null }> => {
    const query = knex(BARE_RUNS).select(BARE_SUMMARY_COLUMNS);
    if (cursor) {
      const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
        number,
        string,
      ];
      query.where('created_at', '<=', time(createdAt)).where((q) => {
        q.where('created_at', '<', time(createdAt)).orWhere((tie) => {
          tie.where('created_at', time(createdAt)).where('id', '<', id);
        });
      });
    }
    const rows = await query
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit + 1);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    const ms = (value: unknown) => (value instanceof Date ? value.getTime() : Number(value));
    return {
      items: rows.slice(0, limit),
      next: last ? Buffer.from(JSON.stringify([ms(last.created_at), last.id])).toString('base64url') : null,
    };
  };
}
