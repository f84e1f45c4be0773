/**
 * Reading one row by equality conditions, through a cached template: the lifecycle reads an
 * execution on every `advance`, `cancel` and `get`, and a template costs binding values, not
 * building and compiling a query builder. Sent with `knex.raw` (bounded like every Knex statement),
 * or on SQLite as a prepared statement on the pool's connection.
 */
import type { Knex } from 'knex';
import { databaseKind, sqliteConnection } from './database.js';
import { hasNul } from './postgres-text.js';
import { prepared } from './sqlite-prepared.js';
import { compileStatement, type SelectStatement } from './statements.js';

/** The first row matching `statement` (in no particular order: use it for unique keys), or undefined. */
export async function readRow(
  knex: Knex,
  statement: SelectStatement,
): Promise<Record<string, unknown> | undefined> {
  const { sql, bindings } = compileStatement(knex, statement);
  // SQLite: straight on the pool's connection, through a prepared statement kept for it, unless a
  // Knex transaction is open there (its uncommitted rows are not ours to read).
  const kind = databaseKind(knex);
  const db = kind === 'sqlite' ? sqliteConnection(knex) : undefined;
  if (db && !db.inTransaction)
    return prepared(db, sql).get(...bindings) as Record<string, unknown> | undefined;
  // PostgreSQL text cannot hold NUL: no row has such a value (see `postgres-text.ts`).
  if (kind === 'postgres' && bindings.some(hasNul)) return undefined;
  const raw: unknown = await knex.raw(sql, bindings as readonly Knex.RawBinding[]);
  // better-sqlite3 answers the rows; mysql2 answers [rows, fields]; pg a result with `rows`.
  const rows = (
    kind === 'mysql' ? (raw as unknown[])[0] : kind === 'postgres' ? (raw as { rows: unknown[] }).rows : raw
  ) as Array<Record<string, unknown>>;
  return rows[0];
}
