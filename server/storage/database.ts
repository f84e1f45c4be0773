/**
 * Opening the database: the one place that turns a `DATABASE_URL` into a Knex instance.
 * `sqlite:<path>` (or a bare path; the embedded default) uses better-sqlite3, `mysql://…` (MySQL or
 * MariaDB) uses mysql2.
 */
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';

/** The database used when `DATABASE_URL` is not set: a SQLite file in the working directory. */
export const DEFAULT_DATABASE_URL = 'sqlite:turtle.sqlite';

/** Which kind of database a Knex instance talks to. */
export type DatabaseKind = 'sqlite' | 'mysql';

/** Thrown when `DATABASE_URL` names no database we can open. */
export class DatabaseUrlError extends Error {
  readonly type = 'DatabaseUrlError';
  override name = 'DatabaseUrlError';
}

/**
 * Opens a Knex instance for `url`.
 * SQLite runs in WAL mode with a busy timeout so that an API process and worker processes can
 * share one file; MySQL/MariaDB sessions run in UTC so `DATETIME(3)` values mean the same everywhere.
 */
export function openDatabase(url: string = process.env.DATABASE_URL || DEFAULT_DATABASE_URL): Knex {
  if (/^mysql2?:\/\//.test(url) || /^mariadb:\/\//.test(url)) {
    const parsed = new URL(url.replace(/^(mysql2|mariadb):/, 'mysql:'));
    return knexFactory({
      client: 'mysql2',
      connection: {
        host: parsed.hostname || '127.0.0.1',
        port: parsed.port ? Number(parsed.port) : 3306,
        user: decodeURIComponent(parsed.username || 'root'),
        password: decodeURIComponent(parsed.password),
        database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || undefined,
        timezone: 'Z',
        dateStrings: false,
        supportBigNumbers: true,
        charset: 'utf8mb4',
        // An atomic unit of the executions store travels in one round trip (see storage/atomic.ts).
        // Safe because values always travel as bindings, never concatenated into SQL.
        multipleStatements: true,
      },
      pool: {
        min: 0,
        max: Number(parsed.searchParams.get('pool') ?? 10),
        afterCreate(conn: { query: (sql: string, cb: (err: Error | null) => void) => void }, done: (err: Error | null, conn: unknown) => void) {
          conn.query("SET time_zone = '+00:00'", (err) => done(err, conn));
        },
      },
    });
  }
  const file = sqlitePath(url);
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    pool: {
      afterCreate(conn: { pragma: (p: string) => unknown }, done: (err: Error | null, conn: unknown) => void) {
        try {
          conn.pragma('journal_mode = WAL');
          conn.pragma('busy_timeout = 5000');
          conn.pragma('synchronous = NORMAL');
          conn.pragma('foreign_keys = ON');
          done(null, conn);
        } catch (err) {
          done(err as Error, conn);
        }
      },
    },
  });
}

/** The kind of database behind a Knex instance. */
export function databaseKind(knex: Knex): DatabaseKind {
  const client = String(knex.client.config.client);
  return client === 'mysql2' || client === 'mysql' ? 'mysql' : 'sqlite';
}

function sqlitePath(url: string): string {
  if (url.startsWith('sqlite://')) return url.slice('sqlite://'.length) || ':memory:';
  if (url.startsWith('sqlite:')) return url.slice('sqlite:'.length) || ':memory:';
  if (url.startsWith('file:')) return url.slice('file:'.length);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new DatabaseUrlError(`DATABASE_URL ${JSON.stringify(url)} is not supported: use sqlite:<file> or mysql://user:password@host:port/database`);
  }
  return url;
}
