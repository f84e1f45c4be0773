/**
 * Reading one row by equality conditions, through a cached template and (on SQLite) a cached
 * prepared statement: the lifecycle reads an execution on every `advance`, `cancel` and `get`.
 */
import type { Knex } from 'knex';
import { databaseKind, databaseTimeoutMs } from './database.js';
import { mysqlQuery, type MysqlConnection } from './mysql-query.js';
import { prepared, type SqliteDatabase } from './sqlite-prepared.js';
import { compileStatement, type SelectStatement } from './statements.js';

interface Pooled<C> {
  acquireConnection(): Promise<C>;
  releaseConnection(connection: C): Promise<void>;
}

/** The first row matching `statement` (in no particular order: use it for unique keys), or undefined. */
export async function readRow(knex: Knex, statement: SelectStatement): Promise<Record<string, unknown> | undefined> {
  const { sql, bindings } = compileStatement(knex, statement);
  if (databaseKind(knex) === 'sqlite') {
    const client = knex.client as Pooled<SqliteDatabase>;
    const db = await client.acquireConnection();
    try {
      return prepared(db, sql).get(...bindings) as Record<string, unknown> | undefined;
    } finally {
      await client.releaseConnection(db);
    }
  }
  const client = knex.client as Pooled<MysqlConnection>;
  const connection = await client.acquireConnection();
  try {
    const rows = await mysqlQuery<unknown[]>(connection, sql, bindings, databaseTimeoutMs(knex));
    return rows[0] as Record<string, unknown> | undefined;
  } finally {
    await client.releaseConnection(connection);
  }
}
