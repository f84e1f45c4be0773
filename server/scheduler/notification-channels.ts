/**
 * Which notification channel a process's Agenda uses, from its settings. A channel only makes a new
 * job start sooner: every worker also polls (`TURTLE_POLL_MS`), so a lost notification delays a job
 * to the next poll at most.
 *
 * - polling only when notifications are off (`--no-notify`, `TURTLE_NOTIFY=0`);
 * - Redis pub/sub when a Redis URL is given (`--redis-url`, `TURTLE_REDIS_URL`): a job saved in any
 *   process starts at once in any worker;
 * - on PostgreSQL without Redis, its LISTEN/NOTIFY (`postgres-channel.ts`): the same, through the database;
 * - otherwise in-process (`'memory'`): a job saved in a process starts at once in that process's
 *   worker, other processes find it on their next poll.
 */
import type { NotificationChannel } from 'agenda';
import { RedisNotificationChannel, type RedisNotificationChannelConfig } from '@agendajs/redis-backend';
import { isPostgresUrl, postgresNotificationChannel } from './postgres-channel.js';

/** The settings {@link chooseNotificationChannel} reads (a subset of the server configuration). */
export interface NotificationSettings {
  /** `DATABASE_URL`: a database that can carry notifications itself (PostgreSQL) gets its own channel. */
  databaseUrl: string;
  /** `--redis-url` / `TURTLE_REDIS_URL`: notify through this Redis server. Default none. */
  redisUrl?: string | undefined;
  /** `--no-notify` / `TURTLE_NOTIFY=0` make this false: polling only. Default true. */
  notify?: boolean;
}

/** The Redis pub/sub channel turtle's processes share (Agenda's default name, prefixed so other apps on the same Redis stay apart). */
export const REDIS_CHANNEL_NAME = 'turtle-shell:agenda:jobs';

/**
 * The channel for a process: an instance (Redis), `'memory'` (in-process) or `false` (polling only),
 * as `KnexBackend` / `createScheduler` / `startWorker` take it.
 * @example
 * const scheduler = createScheduler({ knex, executions, notificationChannel: chooseNotificationChannel(config) });
 */
export function chooseNotificationChannel(
  settings: NotificationSettings,
): NotificationChannel | 'memory' | false {
  if (settings.notify === false) return false;
  if (settings.redisUrl)
    return new RedisNotificationChannel({
      redisOptions: redisOptions(settings.redisUrl),
      channelName: REDIS_CHANNEL_NAME,
    });
  if (isPostgresUrl(settings.databaseUrl)) return postgresNotificationChannel(settings.databaseUrl).channel;
  return 'memory';
}

/**
 * ioredis options for a `redis://` / `rediss://` URL. A command waits for at most one reconnection:
 * an unreachable server fails start-up at once instead of after ioredis's 20 retries, and a
 * notification that cannot be sent is dropped (the next poll finds the job) rather than queued.
 */
function redisOptions(redisUrl: string): NonNullable<RedisNotificationChannelConfig['redisOptions']> {
  const url = new URL(redisUrl);
  const db = url.pathname.replace(/^\//, '');
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: url.port ? Number(url.port) : 6379,
    ...(url.username && { username: decodeURIComponent(url.username) }),
    ...(url.password && { password: decodeURIComponent(url.password) }),
    ...(db && { db: Number(db) }),
    ...(url.protocol === 'rediss:' && { tls: {} }),
    maxRetriesPerRequest: 1,
  };
}
