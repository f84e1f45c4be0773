/**
 * Prepared statements of a better-sqlite3 connection, kept per connection and SQL text: preparing
 * costs more than running the small statements of the executions store.
 */

/** The part of a better-sqlite3 statement the store uses. */
export interface SqliteStatement {
  run(...bindings: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...bindings: unknown[]): unknown;
}

/** The part of a better-sqlite3 connection the store uses. */
export interface SqliteDatabase {
  /** False once closed (e.g. the pool destroyed the connection). */
  readonly open: boolean;
  /** True inside a transaction (someone's `knex.transaction` on this connection). */
  readonly inTransaction: boolean;
  prepare(sql: string): SqliteStatement;
  transaction<A extends unknown[], T>(fn: (...args: A) => T): { immediate(...args: A): T };
}

/** The most statements kept per connection; past it the cache starts over (the store uses a few dozen). */
const MAX_STATEMENTS = 500;
const caches = new WeakMap<SqliteDatabase, Map<string, SqliteStatement>>();

/** `sql` prepared on `db`, once. */
export function prepared(db: SqliteDatabase, sql: string): SqliteStatement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map<string, SqliteStatement>()));
  let statement = cache.get(sql);
  if (!statement) {
    if (cache.size >= MAX_STATEMENTS) cache.clear();
    cache.set(sql, (statement = db.prepare(sql)));
  }
  return statement;
}
