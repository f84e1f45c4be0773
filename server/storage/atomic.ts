/**
 * Runs a few write statements as one transaction, on either database: each statement's
 * affected-row count is checked as it comes back, and a failed check rolls the unit back. No
 * pool-wide `multipleStatements`, no error-message matching. Statements are compiled once per shape
 * (see `statements.ts`).
 *
 * MySQL/MariaDB: Knex's `knex.transaction`, statements sent with `trx.raw`, whose answer is mysql2's
 * `ResultSetHeader` (affected rows, first insert id). PostgreSQL: the same, pg answering each
 * statement's `rowCount` and, for inserts into an auto-increment table, the ids of `RETURNING id`.
 *
 * SQLite: one synchronous better-sqlite3 transaction (`BEGIN IMMEDIATE` … `COMMIT`) on the pool's
 * connection (see `sqliteConnection`), so its write lock is never held across an `await`: a Knex
 * transaction would hold it while other code runs, and a second connection of this process writing
 * meanwhile would wait on the busy timeout with the event loop blocked, the first never committing.
 * When someone's `knex.transaction` is open on that connection, the unit waits for it through Knex.
 *
 * Bounded in time: on MySQL/MariaDB and PostgreSQL every statement carries Knex's `.timeout` (see `openDatabase`);
 * Knex's own `BEGIN`/`COMMIT` do not, so the whole unit is also given `databaseTimeoutMs` and fails
 * with a `KnexTimeoutError` when it outlasts it (a unit whose `BEGIN` comes back later rolls back;
 * one whose `COMMIT` was already sent has an unknown outcome, as after any lost connection). On
 * SQLite statements are synchronous, the pool holds one connection and the busy timeout bounds locks.
 */
import knexModule, { type Knex } from 'knex';
import { databaseKind, databaseTimeoutMs, sqliteConnection } from './database.js';
import { withoutNul } from './postgres-text.js';
import { prepared, type SqliteDatabase } from './sqlite-prepared.js';
import { compileStatement, type CompiledStatement, type Statement } from './statements.js';

export type { Statement } from './statements.js';

/** What one statement did. */
export interface StatementResult {
  changes: number;
  /** The auto-increment ids of the rows an insert added, in order (empty for other statements). */
  insertIds: number[];
}

/** A failed `expect`: rolls the unit back; `atomically` answers null. */
class Rollback extends Error {}
/** The unit outlasted its time limit before its statements ran: rolled back instead. */
class Abandoned extends Error {}

/** Runs `statements` in order in one transaction; `null` when an `expect` was not met (nothing written). */
export async function atomically(knex: Knex, statements: Statement[]): Promise<StatementResult[] | null> {
  const kind = databaseKind(knex);
  const generated = kind === 'postgres' ? await generatedIdTables(knex, statements) : undefined;
  const compiled = statements.map((statement) =>
    compileStatement(
      knex,
      statement,
      generated !== undefined && 'insert' in statement && generated.has(statement.insert),
    ),
  );
  if (kind === 'sqlite') {
    const db = sqliteConnection(knex) ?? (await knex.raw('SELECT 1'), sqliteConnection(knex));
    if (db && !db.inTransaction) return sqliteUnit(db, compiled);
  }
  const increment = kind === 'mysql' && compiled.some((c) => c.isInsert) ? await autoIncrementStep(knex) : 1;
  // Why the unit stopped: Knex reports a failed ROLLBACK (e.g. the server closed the connection
  // after refusing a packet) in place of it.
  let stopped: { reason: unknown } | undefined;
  try {
    return await withinTimeLimit(knex, (abandoned) =>
      knex.transaction(async (trx) => {
        const results: StatementResult[] = [];
        try {
          for (const statement of compiled) {
            if (abandoned()) throw new Abandoned();
            // PostgreSQL text cannot hold NUL: stored as U+FFFD (see `postgres-text.ts`).
            const bindings = kind === 'postgres' ? statement.bindings.map(withoutNul) : statement.bindings;
            const raw: unknown = await trx.raw(statement.sql, bindings as readonly Knex.RawBinding[]);
            const result =
              kind === 'mysql'
                ? fromMysql(raw, statement, increment)
                : kind === 'postgres'
                  ? fromPostgres(raw, statement)
                  : fromSqlite(raw, statement);
            if (statement.expect !== undefined && result.changes !== statement.expect) throw new Rollback();
            results.push(result);
          }
        } catch (err) {
          stopped = { reason: err };
          throw err;
        }
        return results;
      }),
    );
  } catch (err) {
    const reason = stopped ? stopped.reason : err;
    // A lost race writes nothing, even when the ROLLBACK itself failed (a dropped connection rolls back).
    if (reason instanceof Rollback) return null;
    throw reason;
  }
}

type SqliteUnit = { immediate(compiled: CompiledStatement[]): StatementResult[] };
/** The unit as a better-sqlite3 transaction function, made once per connection: making one costs more than running a small unit. */
const units = new WeakMap<SqliteDatabase, SqliteUnit>();

function sqliteUnit(db: SqliteDatabase, compiled: CompiledStatement[]): StatementResult[] | null {
  let unit = units.get(db);
  if (!unit) {
    unit = db.transaction((statements: CompiledStatement[]) =>
      statements.map((statement) => {
        const result = fromSqlite(prepared(db, statement.sql).run(...statement.bindings), statement);
        if (statement.expect !== undefined && result.changes !== statement.expect) throw new Rollback();
        return result;
      }),
    );
    units.set(db, unit);
  }
  try {
    return unit.immediate(compiled);
  } catch (err) {
    if (err instanceof Rollback) return null;
    throw err;
  }
}

/** better-sqlite3's `RunResult`: a multi-row insert reports the rowid of its last row; its rows took consecutive ids. */
function fromSqlite(raw: unknown, { isInsert }: CompiledStatement): StatementResult {
  const { changes = 0, lastInsertRowid = 0 } = (raw ?? {}) as {
    changes?: number;
    lastInsertRowid?: number | bigint;
  };
  const last = Number(lastInsertRowid);
  return {
    changes,
    insertIds: isInsert ? Array.from({ length: changes }, (_, i) => last - changes + 1 + i) : [],
  };
}

/** mysql2's `[ResultSetHeader, fields]`: a multi-row insert reports the id of its first row; the others follow at the server's step. */
function fromMysql(raw: unknown, { isInsert }: CompiledStatement, increment: number): StatementResult {
  const header = ((raw as unknown[])[0] ?? {}) as { affectedRows?: number; insertId?: number };
  const changes = Number(header.affectedRows ?? 0);
  const first = Number(header.insertId ?? 0);
  return {
    changes,
    insertIds: isInsert && first > 0 ? Array.from({ length: changes }, (_, k) => first + k * increment) : [],
  };
}

/** pg's `Result`: `rowCount`, and the rows of `RETURNING id` (ids as pg returns `bigint`: digit strings). */
function fromPostgres(raw: unknown, { isInsert }: CompiledStatement): StatementResult {
  const { rowCount, rows } = raw as { rowCount: number | null; rows: Array<{ id?: unknown }> };
  return {
    changes: rowCount ?? 0,
    insertIds: isInsert ? rows.filter((row) => row.id !== undefined).map((row) => Number(row.id)) : [],
  };
}

/** Per PostgreSQL Knex, per table inserted into, whether the database generates its `id` (serial or identity). */
const generatedIds = new WeakMap<Knex, Map<string, boolean>>();

/**
 * The tables among the inserts of `statements` whose `id` the database generates, so their inserts
 * say `RETURNING id` (PostgreSQL has no "last insert id"). Asked of the catalog once per table.
 */
async function generatedIdTables(knex: Knex, statements: Statement[]): Promise<Set<string>> {
  let known = generatedIds.get(knex);
  if (!known) generatedIds.set(knex, (known = new Map<string, boolean>()));
  const tables = new Set<string>();
  for (const statement of statements) {
    if (!('insert' in statement)) continue;
    let generated = known.get(statement.insert);
    if (generated === undefined) {
      const { rows } = await knex.raw<{ rows: unknown[] }>(
        `SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? AND column_name = 'id'
         AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')`,
        [statement.insert],
      );
      known.set(statement.insert, (generated = rows.length > 0));
    }
    if (generated) tables.add(statement.insert);
  }
  return tables;
}

/** `@@auto_increment_increment` per Knex instance: the step between the ids of one multi-row insert. */
const incrementCache = new WeakMap<Knex, number>();

async function autoIncrementStep(knex: Knex): Promise<number> {
  let increment = incrementCache.get(knex);
  if (increment === undefined) {
    const [rows] = (await knex.raw('SELECT @@auto_increment_increment AS inc')) as [Array<{ inc: number }>];
    incrementCache.set(knex, (increment = Number(rows[0]?.inc ?? 1)));
  }
  return increment;
}

/**
 * Runs `unit` within `databaseTimeoutMs(knex)` on MySQL/MariaDB and PostgreSQL: a frozen server never answers Knex's
 * unbounded `BEGIN`, so the caller hears of it from this timer; `abandoned()` then tells the unit, if
 * it ever starts, to roll back rather than write after its caller was told it failed.
 */
function withinTimeLimit<T>(knex: Knex, unit: (abandoned: () => boolean) => Promise<T>): Promise<T> {
  if (databaseKind(knex) === 'sqlite') return unit(() => false);
  const timeoutMs = databaseTimeoutMs(knex);
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const work = unit(() => timedOut);
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(
        new knexModule.KnexTimeoutError(
          `Defined query timeout of ${timeoutMs}ms exceeded when running a transaction.`,
        ),
      );
    }, timeoutMs);
  });
  // Once timed out, the unit's own end (rolled back, or failed) concerns no one.
  work.catch(() => undefined);
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}
