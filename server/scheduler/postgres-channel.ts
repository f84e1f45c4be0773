/**
 * Wake-ups across processes through PostgreSQL's LISTEN/NOTIFY, when the database is PostgreSQL: a job
 * saved in one process (the API enqueuing a run) starts at once in another (a worker) instead of on
 * its next poll. The channel is `@agendajs/postgres-backend`'s `PostgresNotificationChannel` (Agenda's
 * own, through its documented config), on a small pg pool made here: one connection LISTENs, another
 * sends NOTIFY. Agenda's `stop()` disconnects the channel; `close()` of the result ends the pool.
 *
 * @example
 * const { channel, close } = postgresNotificationChannel(url);
 * const agenda = new Agenda({ backend: new KnexBackend({ knex, notificationChannel: channel }) });
 * // on shutdown: await agenda.stop(); await close();
 */
import { createRequire } from 'node:module';
import { PostgresNotificationChannel } from '@agendajs/postgres-backend';
import { DatabaseUrlError } from '../storage/database.js';
import { DEFAULT_TABLE_NAMES } from './knex-backend/schema.js';

/** Options of {@link postgresNotificationChannel}. */
export interface PostgresChannelOptions {
  /**
   * The LISTEN/NOTIFY channel; every process of one deployment must use the same. Default the jobs
   * table's name, `turtle_agenda_jobs` (apart from an Agenda `PostgresBackend` on the same database).
   */
  channelName?: string;
  /**
   * Hears the channel's connection errors (the server restarted, the network dropped); the channel
   * reconnects by itself, and polling finds what a lost notification missed. Without a listener
   * these errors would be thrown as uncaught. Default: a process warning.
   */
  onError?: (error: unknown) => void;
  /** Time limit of connecting and of one NOTIFY, in ms. Default 5000. */
  timeoutMs?: number;
}

/** The channel for `KnexBackend`'s `notificationChannel` option, and the end of its pool. */
export interface PostgresChannel {
  channel: PostgresNotificationChannel;
  /** Ends the channel's pool; after `agenda.stop()` (which disconnects the channel). */
  close: () => Promise<void>;
}

/** The part of pg's documented `Pool` used here (pg ships no types; `@types/pg` is not a dependency). */
interface PgPool {
  on(event: 'error', listener: (error: Error) => void): unknown;
  end(): Promise<void>;
}
type PgPoolClass = new (config: {
  connectionString: string;
  max: number;
  connectionTimeoutMillis: number;
  query_timeout: number;
  allowExitOnIdle: boolean;
}) => PgPool;
const { Pool } = createRequire(import.meta.url)('pg') as { Pool: PgPoolClass };

/** Whether `url` is a PostgreSQL `DATABASE_URL` (`postgres://…` or `postgresql://…`). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/**
 * A LISTEN/NOTIFY notification channel for the PostgreSQL database at `url` (a `DATABASE_URL`).
 * Agenda connects it on `start()`; a process that only saves jobs connects it with
 * `channel.connect()`. It reconnects when its connection drops.
 * @throws DatabaseUrlError when `url` is not a PostgreSQL URL
 */
export function postgresNotificationChannel(
  url: string,
  options: PostgresChannelOptions = {},
): PostgresChannel {
  if (!isPostgresUrl(url))
    throw new DatabaseUrlError(
      `LISTEN/NOTIFY needs a PostgreSQL DATABASE_URL (postgres://…), got ${JSON.stringify(url.replace(/\/\/[^@/]*@/, '//…@'))}`,
    );
  const onError = options.onError ?? warn;
  const timeoutMs = options.timeoutMs ?? 5000;
  // `pool` is turtle-shell's own parameter (the store's pool size), not one of pg's.
  const connection = new URL(url);
  connection.searchParams.delete('pool');
  // Two connections: the LISTEN one, held, and one for NOTIFY. An idle one that the server closes
  // is reported on the pool's 'error' event; idle ones (once the channel disconnects) do not keep
  // the process alive, so a process that never calls `close()` still exits.
  const pool = new Pool({
    connectionString: connection.toString(),
    max: 2,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    allowExitOnIdle: true,
  });
  pool.on('error', onError);
  const channel = new PostgresNotificationChannel({
    pool,
    channelName: options.channelName ?? DEFAULT_TABLE_NAMES.jobs,
  });
  channel.on('error', onError);
  let closed: Promise<void> | undefined;
  return { channel, close: () => (closed ??= pool.end()) };
}

function warn(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.emitWarning(`PostgreSQL notification channel: ${message}`, 'TurtleChannelWarning');
}
