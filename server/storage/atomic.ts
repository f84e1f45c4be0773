/**
 * Runs a few write statements as one transaction, on either database.
 *
 * On SQLite the transaction is one synchronous better-sqlite3 call, so its write lock is never held
 * across an `await`: two connections of one process cannot stall each other, and other processes wait
 * on the busy timeout. On MySQL/MariaDB the unit travels in as few round trips as the connection
 * allows: with `multipleStatements` (set by `openDatabase`), `START TRANSACTION`, the statements, a
 * check after each one with an expectation, and `COMMIT` go in one; a failed check stops the batch
 * before `COMMIT` and costs a second round trip (`ROLLBACK`). Without it, one round trip per statement.
 */
import type { Knex } from 'knex';
import { databaseKind, databaseTimeoutMs } from './database.js';
import { mysqlQuery, type MysqlConnection } from './mysql-query.js';
import { prepared, type SqliteDatabase } from './sqlite-prepared.js';
import { compileStatement, type CompiledStatement, type Statement } from './statements.js';

export type { Statement } from './statements.js';

/** What one statement did. */
export interface StatementResult {
  changes: number;
  /** The auto-increment ids of the rows an insert added, in order (empty for other statements). */
  insertIds: number[];
}

class Rollback extends Error {}

/** Runs `statements` in order in one transaction; `null` when an `expect` was not met (nothing written). */
export async function atomically(knex: Knex, statements: Statement[]): Promise<StatementResult[] | null> {
  const compiled = statements.map((statement) => compileStatement(knex, statement));
  return databaseKind(knex) === 'sqlite' ? sqliteAtomically(knex, compiled) : mysqlAtomically(knex, compiled);
}

type SqliteUnit = { immediate(compiled: CompiledStatement[]): StatementResult[] };
/** The unit as a better-sqlite3 transaction function, made once per connection: making one costs more than running a small unit. */
const units = new WeakMap<SqliteDatabase, SqliteUnit>();

function unitOf(db: SqliteDatabase): SqliteUnit {
  let unit = units.get(db);
  if (!unit) {
    unit = db.transaction((compiled: CompiledStatement[]) => compiled.map(({ sql, bindings, expect, isInsert }) => {
      const result = prepared(db, sql).run(...bindings);
      if (expect !== undefined && result.changes !== expect) throw new Rollback();
      // A multi-row insert reports the rowid of its last row; its rows took consecutive ids.
      const last = Number(result.lastInsertRowid);
      return { changes: result.changes, insertIds: isInsert ? Array.from({ length: result.changes }, (_, i) => last - result.changes + 1 + i) : [] };
    }));
    units.set(db, unit);
  }
  return unit;
}

async function sqliteAtomically(knex: Knex, compiled: CompiledStatement[]): Promise<StatementResult[] | null> {
  const client = knex.client as { acquireConnection(): Promise<SqliteDatabase>; releaseConnection(c: SqliteDatabase): Promise<void> };
  const db = await client.acquireConnection();
  try {
    return unitOf(db).immediate(compiled);
  } catch (err) {
    if (err instanceof Rollback) return null;
    throw err;
  } finally {
    await client.releaseConnection(db);
  }
}

interface MysqlResult {
  affectedRows?: number;
  insertId?: number;
}

/**
 * Fails with ER_DATA_OUT_OF_RANGE (BIGINT UNSIGNED overflow) unless the previous statement matched
 * `?` rows. Plain arithmetic in a SET: no subquery to plan, no result set to send (`DO` would
 * swallow the error). `ROW_COUNT()` counts what `affectedRows` reports (found rows: mysql2 connects
 * with FOUND_ROWS).
 */
const EXPECT_CHECK = 'SET @turtle_expect = ~0 + (ROW_COUNT() <> ?)';

/** Whether `err` is a failed {@link EXPECT_CHECK}, not an error of the unit's own statements. */
function isFailedCheck(err: unknown): boolean {
  const { code, message } = err as { code?: string; message?: string };
  return code === 'ER_DATA_OUT_OF_RANGE' && /row_count\(\)/i.test(message ?? '');
}

/** `@@auto_increment_increment` per Knex instance: the step between the ids of one multi-row insert. */
const incrementCache = new WeakMap<Knex, number>();

async function mysqlAtomically(knex: Knex, compiled: CompiledStatement[]): Promise<StatementResult[] | null> {
  // Straight on the pooled mysql2 connection, to choose how the unit's statements travel.
  const client = knex.client as { acquireConnection(): Promise<MysqlConnection>; releaseConnection(c: MysqlConnection): Promise<void> };
  const connection = await client.acquireConnection();
  const timeoutMs = databaseTimeoutMs(knex);
  const run = (sql: string, bindings: readonly unknown[] = []) => mysqlQuery<MysqlResult | MysqlResult[]>(connection, sql, bindings, timeoutMs);
  try {
    let increment = incrementCache.get(knex);
    if (increment === undefined) {
      const rows = (await run('SELECT @@auto_increment_increment AS inc')) as unknown as Array<{ inc: number }>;
      incrementCache.set(knex, (increment = Number(rows[0]?.inc ?? 1)));
    }
    let raw: MysqlResult[];
    try {
      if (acceptsMultipleStatements(knex)) {
        // START TRANSACTION; s1; [check1;] s2; …; COMMIT in one round trip. A failed check stops the
        // batch before COMMIT; only a lost race pays a second round trip (ROLLBACK).
        const parts = ['START TRANSACTION'];
        const bindings: unknown[] = [];
        const positions: number[] = [];
        for (const { sql, bindings: own, expect } of compiled) {
          positions.push(parts.length);
          parts.push(sql);
          bindings.push(...own);
          if (expect !== undefined) {
            parts.push(EXPECT_CHECK);
            bindings.push(expect);
          }
        }
        parts.push('COMMIT');
        let all: MysqlResult[];
        try {
          all = (await run(parts.join(';\n'), bindings)) as MysqlResult[];
        } catch (err) {
          if (!isFailedCheck(err)) throw err;
          await run('ROLLBACK');
          return null;
        }
        raw = positions.map((position) => all[position]!);
      } else {
        await run('START TRANSACTION');
        raw = [];
        for (const { sql, bindings, expect } of compiled) {
          const result = (await run(sql, bindings)) as MysqlResult;
          raw.push(result);
          if (expect !== undefined && Number(result.affectedRows ?? 0) !== expect) break;
        }
        if (compiled.some(({ expect }, i) => expect !== undefined && Number(raw[i]?.affectedRows ?? 0) !== expect)) {
          await run('ROLLBACK');
          return null;
        }
        await run('COMMIT');
      }
    } catch (err) {
      await run('ROLLBACK').catch(() => undefined);
      throw err;
    }
    // A multi-row insert reports the id of its first row; the others follow at the server's step.
    return compiled.map(({ isInsert }, i): StatementResult => {
      const changes = Number(raw[i]!.affectedRows ?? 0);
      const first = Number(raw[i]!.insertId ?? 0);
      return { changes, insertIds: isInsert && first > 0 ? Array.from({ length: changes }, (_, k) => first + k * increment!) : [] };
    });
  } finally {
    await client.releaseConnection(connection);
  }
}

/** Whether the connections of `knex` were opened with mysql2's `multipleStatements`. */
export function acceptsMultipleStatements(knex: Knex): boolean {
  const connection = knex.client.config.connection as { multipleStatements?: boolean } | undefined;
  return typeof connection === 'object' && connection?.multipleStatements === true;
}
