/**
 * Opening the database: the one place that turns a `DATABASE_URL` into a Knex instance.
 * `sqlite:<path>` (or a bare path; the embedded default) uses better-sqlite3, `mysql://…` (MySQL or
 * MariaDB) uses mysql2, `postgres://…` (or `postgresql://…`) uses pg. What it opened is recorded
 * per Knex instance, so the rest of the store asks this module instead of Knex's private config.
 */
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { mysqlQuery, type MysqlConnection } from './mysql-query.js';
import type { SqliteDatabase } from './sqlite-prepared.js';

/** The database used when `DATABASE_URL` is not set: a SQLite file in the working directory. */
export const DEFAULT_DATABASE_URL = 'sqlite:turtle.sqlite';

/** Which kind of database a Knex instance talks to. */
export type DatabaseKind = 'sqlite' | 'mysql' | 'postgres';

/**
 * How long one database operation may take, in ms, unless `TURTLE_DB_TIMEOUT_MS` says otherwise:
 * opening a connection, waiting for one from the pool, running one query, waiting for a SQLite lock.
 */
export const DEFAULT_DATABASE_TIMEOUT_MS = 5000;

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /**
   * The time limit of one database operation (see {@link DEFAULT_DATABASE_TIMEOUT_MS}, the default):
   * past it the operation fails with an error `isDatabaseUnavailable` recognises.
   */
  timeoutMs?: number;
  /**
   * The most connections of the pool (MySQL/MariaDB, PostgreSQL). Default: the URL's `pool`
   * parameter (`…/db?pool=20`), else 10. SQLite always uses one connection.
   */
  poolSize?: number;
}

/** Thrown when `DATABASE_URL` names no database we can open. */
export class DatabaseUrlError extends Error {
  readonly type = 'DatabaseUrlError';
  override name = 'DatabaseUrlError';
}

/** Thrown when the store is handed a Knex instance that {@link openDatabase} did not open. */
export class UnknownKnexError extends Error {
  readonly type = 'UnknownKnex';
  override name = 'UnknownKnexError';
  constructor() {
    super(
      'This Knex instance was not opened by openDatabase(): open the database with openDatabase(url) so the store knows what it talks to and how long it may wait',
    );
  }
}

/** What {@link openDatabase} opened. */
interface Opened {
  kind: DatabaseKind;
  /** The time limit of one operation. */
  timeoutMs: number;
}

/** Each Knex instance opened by {@link openDatabase}, with what it opened. */
const opened = new WeakMap<Knex, Opened>();

/**
 * Opens a Knex instance for `url`.
 * SQLite runs in WAL mode with a busy timeout so that an API process and worker processes can
 * share one file; MySQL/MariaDB sessions run in UTC so `DATETIME(3)` values mean the same everywhere;
 * PostgreSQL sessions run in UTC too (their `timestamptz` values are instants whatever the zone).
 *
 * Every operation is bounded by `options.timeoutMs` (default {@link DEFAULT_DATABASE_TIMEOUT_MS}), so a
 * database that is down or frozen fails requests quickly instead of holding them:
 * - SQLite: the busy timeout (statements are synchronous; a lock held past it fails with SQLITE_BUSY).
 * - MySQL/MariaDB: Knex's `acquireConnectionTimeout` (waiting for a pooled connection), within it
 *   mysql2's `connectTimeout` (a stopped server accepts TCP connections but never greets), and a Knex
 *   `.timeout(ms)` on every query and raw statement (see {@link boundEveryQuery}); a transaction of
 *   the store is bounded as a whole (see `atomically`), and the session set-up of a new connection
 *   goes through `mysqlQuery`. When the database is back, the pool opens new connections: nothing
 *   needs restarting.
 * - PostgreSQL: the same `acquireConnectionTimeout`, Knex `.timeout(ms)` and bounded transactions of
 *   the store; within the first, pg's `connectionTimeoutMillis` (see {@link postgresConfig}).
 */
export function openDatabase(
  url: string = process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
  options: OpenDatabaseOptions = {},
): Knex {
  const timeoutMs = options.timeoutMs ?? DEFAULT_DATABASE_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    throw new RangeError(`timeoutMs must be a positive whole number of ms, got ${timeoutMs}`);
  const { poolSize } = options;
  if (poolSize !== undefined && (!Number.isInteger(poolSize) || poolSize < 1))
    throw new RangeError(`poolSize must be a positive whole number, got ${poolSize}`);
  const { knex, kind } = open(url, timeoutMs, poolSize);
  opened.set(knex, { kind, timeoutMs });
  if (kind !== 'sqlite') boundEveryQuery(knex, timeoutMs);
  return knex;
}

/** What `openDatabase` opened as `knex`. @throws UnknownKnexError for a Knex it did not open */
function openedAs(knex: Knex): Opened {
  const record = opened.get(knex);
  if (!record) throw new UnknownKnexError();
  return record;
}

/** The kind of database behind a Knex instance opened by {@link openDatabase}. @throws UnknownKnexError otherwise */
export function databaseKind(knex: Knex): DatabaseKind {
  return openedAs(knex).kind;
}

/** The time limit of one operation on `knex` (the `timeoutMs` it was opened with). @throws UnknownKnexError for a Knex `openDatabase` did not open */
export function databaseTimeoutMs(knex: Knex): number {
  return openedAs(knex).timeoutMs;
}

/**
 * Gives every query builder and raw statement run on `knex` a `.timeout(timeoutMs)`, through Knex's
 * documented `start` event (fired for each builder, in transactions too, before it is compiled).
 *
 * Why a client-side timer: when the server process is frozen (SIGSTOP, a hung host) its kernel keeps
 * the TCP connection up and acknowledges what we send, so neither the socket nor keep-alives ever fail
 * and only a timer in this process ends the wait. Why Knex's and without `cancel`: on expiry Knex marks
 * the connection disposed, so the pool destroys it instead of lending it out with a reply still owed;
 * `cancel: true` would first open another connection to send `KILL QUERY` (`pg_cancel_backend`), which
 * a frozen server never answers either. mysql2's own per-query `timeout` and pg's `query_timeout` fail
 * the query but keep the connection (and the commands queued behind it) in the pool. Server-side
 * limits (MariaDB's `max_statement_time`, PostgreSQL's `statement_timeout`) are not used: they cannot
 * fire in a stopped server, and they would also cut long migrations short. A write whose
 * timer expires may still commit once the server resumes: its outcome is unknown, as after any lost
 * connection (clients retry with an `Idempotency-Key`). Not bounded: schema builders (migrations,
 * which may rightly run long) and Knex's own `BEGIN`/`COMMIT` of `knex.transaction` (not builders):
 * `atomically` bounds the store's transactions as a whole.
 */
function boundEveryQuery(knex: Knex, timeoutMs: number): void {
  knex.on('start', (builder: { timeout?: (ms: number) => unknown }) => {
    if (typeof builder.timeout === 'function') builder.timeout(timeoutMs);
  });
}

function open(
  url: string,
  timeoutMs: number,
  poolSize: number | undefined,
): { knex: Knex; kind: DatabaseKind } {
  // Opening a connection (handshake, then the session's set-up) fits in the time a request waits for
  // one: it fails that request with its own reason, and no attempt outlives the request to fail
  // the next one after the database is back.
  const openStepMs = Math.max(1, Math.floor(timeoutMs / 2));
  if (/^postgres(ql)?:\/\//.test(url))
    return { knex: knexFactory(postgresConfig(url, timeoutMs, openStepMs, poolSize)), kind: 'postgres' };
  if (/^mysql2?:\/\//.test(url) || /^mariadb:\/\//.test(url)) {
    const parsed = new URL(url.replace(/^(mysql2|mariadb):/, 'mysql:'));
    const knex = knexFactory({
      client: 'mysql2',
      acquireConnectionTimeout: timeoutMs,
      connection: {
        connectTimeout: openStepMs,
        host: parsed.hostname || '127.0.0.1',
        port: parsed.port ? Number(parsed.port) : 3306,
        user: decodeURIComponent(parsed.username || 'root'),
        password: decodeURIComponent(parsed.password),
        database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || undefined,
        timezone: 'Z',
        dateStrings: false,
        supportBigNumbers: true,
        charset: 'utf8mb4',
      },
      pool: {
        min: 0,
        max: poolSize ?? Number(parsed.searchParams.get('pool') ?? 10),
        afterCreate(conn: MysqlConnection, done: (err: Error | null, conn: unknown) => void) {
          mysqlQuery(conn, "SET time_zone = '+00:00'", [], openStepMs).then(
            () => done(null, conn),
            (err: Error) => done(err, conn),
          );
        },
      },
    });
    return { knex, kind: 'mysql' };
  }
  const file = sqlitePath(url);
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const holder: { connection?: SqliteDatabase } = {};
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    acquireConnectionTimeout: timeoutMs,
    pool: {
      afterCreate(
        conn: { pragma: (p: string) => unknown },
        done: (err: Error | null, conn: unknown) => void,
      ) {
        try {
          conn.pragma('journal_mode = WAL');
          conn.pragma(`busy_timeout = ${timeoutMs}`);
          conn.pragma('synchronous = NORMAL');
          conn.pragma('foreign_keys = ON');
          holder.connection = conn as unknown as SqliteDatabase;
          done(null, conn);
        } catch (err) {
          done(err as Error, conn);
        }
      },
    },
  });
  sqliteConnections.set(knex, holder);
  return { knex, kind: 'sqlite' };
}

/**
 * The Knex config for a `postgres://` URL (pg's connection string: host, port, user, password,
 * database and its `sslmode` etc.; our own `pool` parameter is taken out first).
 * - The session runs in UTC (`-c TimeZone=UTC` in the start-up packet: no extra round trip).
 * - `bigint` columns come back as strings (pg's default): their readers take numbers or digit strings.
 * - `connectionTimeoutMillis` bounds opening a connection, as mysql2's `connectTimeout` does.
 * - Queries are bounded by Knex's `.timeout` (see {@link boundEveryQuery}), which also retires the
 *   connection. Not used: pg's client-side `query_timeout` (it fails the query but lends the
 *   connection out again with the reply still owed, and it would also cut long migrations short) and
 *   the server's `statement_timeout` (a frozen server cannot enforce it).
 */
function postgresConfig(
  url: string,
  timeoutMs: number,
  openStepMs: number,
  poolSize: number | undefined,
): Knex.Config {
  const parsed = new URL(url);
  const pool = parsed.searchParams.get('pool');
  parsed.searchParams.delete('pool');
  return {
    client: 'pg',
    acquireConnectionTimeout: timeoutMs,
    connection: {
      connectionString: parsed.toString(),
      connectionTimeoutMillis: openStepMs,
      options: '-c TimeZone=UTC',
    },
    pool: { min: 0, max: poolSize ?? Number(pool ?? 10) },
  };
}

/** The better-sqlite3 connection of each SQLite Knex, as its pool's `afterCreate` last received it. */
const sqliteConnections = new WeakMap<Knex, { connection?: SqliteDatabase }>();

/**
 * The better-sqlite3 connection of a SQLite Knex opened by {@link openDatabase} (Knex keeps one per
 * pool), as handed to the pool's documented `afterCreate`; undefined before it is opened or once
 * closed. For work that must run synchronously, start to end, on the connection (see `atomically`).
 */
export function sqliteConnection(knex: Knex): SqliteDatabase | undefined {
  const connection = sqliteConnections.get(knex)?.connection;
  return connection?.open ? connection : undefined;
}

function sqlitePath(url: string): string {
  if (url.startsWith('sqlite://')) return url.slice('sqlite://'.length) || ':memory:';
  if (url.startsWith('sqlite:')) return url.slice('sqlite:'.length) || ':memory:';
  if (url.startsWith('file:')) return url.slice('file:'.length);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new DatabaseUrlError(
      `DATABASE_URL ${JSON.stringify(url)} is not supported: use sqlite:<file>, mysql://user:password@host:port/database or postgres://user:password@host:port/database`,
    );
  }
  return url;
}
