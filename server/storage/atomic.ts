/**
 * Runs a few write statements as one transaction, on either database.
 *
 * On SQLite the transaction is one synchronous better-sqlite3 call, so its write lock is never held
 * across an `await`: two connections of one process cannot stall each other, and other processes wait
 * on the busy timeout. On MySQL/MariaDB it is an ordinary Knex transaction.
 */
import type { Knex } from 'knex';
import { databaseKind } from './database.js';

/** One statement of an atomic unit. */
export interface Statement {
  /** Built with the same Knex instance; never awaited by the caller. */
  query: Knex.QueryBuilder;
  /**
   * When set, the statement must affect exactly this many rows, or the whole unit is rolled back and
   * {@link atomically} resolves to `null` (a conditional write that lost a race).
   */
  expect?: number;
}

/** What one statement did. */
export interface StatementResult {
  changes: number;
  /** The auto-increment ids of the rows an insert added, in order (empty for other statements). */
  insertIds: number[];
}

interface SqliteDatabase {
  prepare(sql: string): { run(...bindings: unknown[]): { changes: number; lastInsertRowid: number | bigint } };
  transaction<T>(fn: () => T): { immediate(): T };
}

const statementCache = new WeakMap<object, Map<string, ReturnType<SqliteDatabase['prepare']>>>();

class Rollback extends Error {}

/** Runs `statements` in order in one transaction; `null` when an `expect` was not met (nothing written). */
export async function atomically(knex: Knex, statements: Statement[]): Promise<StatementResult[] | null> {
  return databaseKind(knex) === 'sqlite' ? sqliteAtomically(knex, statements) : mysqlAtomically(knex, statements);
}

async function sqliteAtomically(knex: Knex, statements: Statement[]): Promise<StatementResult[] | null> {
  const compiled = statements.map(({ query, expect }) => ({ ...query.toSQL().toNative(), expect }));
  const client = knex.client as { acquireConnection(): Promise<SqliteDatabase>; releaseConnection(c: SqliteDatabase): Promise<void> };
  const db = await client.acquireConnection();
  try {
    let cache = statementCache.get(db);
    if (!cache) statementCache.set(db, (cache = new Map()));
    const prepared = (sql: string) => {
      let stmt = cache!.get(sql);
      if (!stmt) {
        if (cache!.size > 500) cache!.clear();
        cache!.set(sql, (stmt = db.prepare(sql)));
      }
      return stmt;
    };
    return db.transaction(() => compiled.map(({ sql, bindings, expect }) => {
      const result = prepared(sql).run(...(bindings as unknown[]));
      if (expect !== undefined && result.changes !== expect) throw new Rollback();
      // A multi-row insert reports the rowid of its last row; its rows took consecutive ids.
      const last = Number(result.lastInsertRowid);
      const isInsert = /^\s*insert/i.test(sql);
      return { changes: result.changes, insertIds: isInsert ? Array.from({ length: result.changes }, (_, i) => last - result.changes + 1 + i) : [] };
    })).immediate();
  } catch (err) {
    if (err instanceof Rollback) return null;
    throw err;
  } finally {
    await client.releaseConnection(db);
  }
}

interface MysqlConnection {
  query(sql: string, bindings: unknown, callback: (err: Error | null, result: { affectedRows?: number; insertId?: number }) => void): void;
}

/** `@@auto_increment_increment` per Knex instance: the step between the ids of one multi-row insert. */
const incrementCache = new WeakMap<Knex, number>();

async function mysqlAtomically(knex: Knex, statements: Statement[]): Promise<StatementResult[] | null> {
  const compiled = statements.map(({ query, expect }) => ({ ...query.toSQL().toNative(), expect }));
  // Straight on the pooled mysql2 connection: a unit costs its statements plus BEGIN and COMMIT.
  const client = knex.client as { acquireConnection(): Promise<MysqlConnection>; releaseConnection(c: MysqlConnection): Promise<void> };
  const connection = await client.acquireConnection();
  const run = (sql: string, bindings?: readonly unknown[]) => new Promise<{ affectedRows?: number; insertId?: number }>((resolve, reject) => {
    connection.query(sql, bindings ?? [], (err, result) => (err ? reject(err) : resolve(result)));
  });
  try {
    let increment = incrementCache.get(knex);
    if (increment === undefined) {
      const rows = (await run('SELECT @@auto_increment_increment AS inc')) as unknown as Array<{ inc: number }>;
      incrementCache.set(knex, (increment = Number(rows[0]?.inc ?? 1)));
    }
    await run('START TRANSACTION');
    try {
      const results: StatementResult[] = [];
      for (const { sql, bindings, expect } of compiled) {
        const result = await run(sql, bindings);
        const changes = Number(result.affectedRows ?? 0);
        if (expect !== undefined && changes !== expect) {
          await run('ROLLBACK');
          return null;
        }
        // A multi-row insert reports the id of its first row; the others follow at the server's step.
        const first = Number(result.insertId ?? 0);
        const step = increment;
        results.push({ changes, insertIds: first > 0 && /^\s*insert/i.test(sql) ? Array.from({ length: changes }, (_, i) => first + i * step) : [] });
      }
      await run('COMMIT');
      return results;
    } catch (err) {
      await run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    await client.releaseConnection(connection);
  }
}
