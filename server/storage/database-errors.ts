/**
 * "The database is unavailable": the one place that recognises, among the errors the drivers and Knex
 * throw, those that say the database cannot be reached or did not answer in time (as opposed to an
 * error in a statement). Callers translate them: the API answers 503 `DatabaseUnavailable`,
 * `/healthz` reports unhealthy, start-up names `DATABASE_URL`.
 */
import knex from 'knex';
import { TurtleError } from '../errors.js';

/**
 * Socket-level codes (Node's `net`/`dns`, as mysql2 passes them on): the server is not there, went
 * away, or did not answer within `connectTimeout`.
 */
export const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * MySQL/MariaDB server errors that mean "not now" rather than "wrong statement": too many
 * connections, shutting down, the session killed, a lock or statement time limit reached.
 */
export const MYSQL_UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_QUERY_TIMEOUT',
  'ER_CLIENT_INTERACTION_TIMEOUT',
]);

/** The same for MariaDB-only errors, which mysql2 reports by number: 1927 connection killed, 1969 `max_statement_time` exceeded. */
export const MARIADB_UNAVAILABLE_ERRNOS: ReadonlySet<number> = new Set([1927, 1969]);

/**
 * PostgreSQL SQLSTATEs (pg's `code`) that mean "not now": every connection exception (class `08`,
 * by prefix), the server shutting down or starting (57P01–57P03), too many connections (53300), a
 * statement cancelled or over `statement_timeout` (57014), a lock not granted in time (55P03).
 */
export const POSTGRES_UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '57014',
  '55P03',
]);

/**
 * The errors pg raises without a code when a connection fails or times out on the client side (its
 * `connectionTimeoutMillis` expired: 'timeout expired'; the socket closed; its `query_timeout`).
 * Compared whole, never as patterns (after the `<sql> - ` Knex puts in front of a failed query's
 * message): pg gives these no code, and they are fixed texts of pg 8.
 */
export const POSTGRES_CLIENT_FAILURES: ReadonlySet<string> = new Set([
  'timeout expired',
  'Connection terminated',
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
]);

/**
 * SQLite result codes (better-sqlite3's `code`, extended codes included by prefix): the file is
 * locked past the busy timeout, cannot be opened, or its disk fails.
 */
export const SQLITE_UNAVAILABLE_CODES: readonly string[] = [
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
];

/** The database cannot be reached or did not answer in time; try again later (HTTP 503). */
export class DatabaseUnavailable extends TurtleError {
  override readonly type = 'DatabaseUnavailable';
  constructor(
    message = 'The database is not available at the moment; try again shortly',
    options?: ErrorOptions,
  ) {
    super(message, {}, options);
  }
}

/**
 * Whether `err` (or an error in its `cause` chain) says the database is unavailable: a
 * {@link DatabaseUnavailable}, a Knex timeout (pool acquire or query, see `openDatabase`), a lost or
 * refused connection, a query timeout of mysql2 or pg, one of the server or SQLite codes above.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (isUnavailableItself(e)) return true;
  }
  return false;
}

/**
 * `err` as a {@link DatabaseUnavailable} (with `err` as its cause) when it is one, else undefined.
 * @example
 * catch (err) { throw asDatabaseUnavailable(err) ?? err; }
 */
export function asDatabaseUnavailable(err: unknown): DatabaseUnavailable | undefined {
  if (err instanceof DatabaseUnavailable) return err;
  return isDatabaseUnavailable(err) ? new DatabaseUnavailable(undefined, { cause: err }) : undefined;
}

function isUnavailableItself(err: Error): boolean {
  if (err instanceof DatabaseUnavailable || err instanceof knex.KnexTimeoutError) return true;
  const { code, errno, fatal } = err as { code?: unknown; errno?: unknown; fatal?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_ERROR_CODES.has(code) || MYSQL_UNAVAILABLE_CODES.has(code)) return true;
    // mysql2's own: PROTOCOL_CONNECTION_LOST, PROTOCOL_SEQUENCE_TIMEOUT (a query's `timeout`), …
    if (code.startsWith('PROTOCOL_')) return true;
    if (SQLITE_UNAVAILABLE_CODES.some((prefix) => code === prefix || code.startsWith(`${prefix}_`)))
      return true;
    if (POSTGRES_UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  } else if (
    POSTGRES_CLIENT_FAILURES.has(err.message) ||
    POSTGRES_CLIENT_FAILURES.has(err.message.slice(err.message.lastIndexOf(' - ') + 3))
  ) {
    return true;
  }
  if (typeof errno === 'number' && MARIADB_UNAVAILABLE_ERRNOS.has(errno)) return true;
  // mysql2 marks errors that broke the connection `fatal`; a fatal server error (e.g. access denied
  // at the handshake) is a configuration problem, not an outage.
  return fatal === true && !(typeof code === 'string' && code.startsWith('ER_'));
}
