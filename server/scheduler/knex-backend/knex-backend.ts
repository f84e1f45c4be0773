/**
 * `KnexBackend`: Agenda v6's `AgendaBackend` on Knex, so Agenda's jobs live in the same SQLite file,
 * MySQL/MariaDB or PostgreSQL database as the executions.
 *
 * Notifications: by default an in-process channel, so a job saved through an Agenda starts at once on
 * that same Agenda's processor; other processes see it on their next poll (`processEvery`). Any
 * Agenda `NotificationChannel` can be passed instead — e.g. `@agendajs/redis-backend`'s
 * `RedisNotificationChannel` where Redis exists, or on PostgreSQL its LISTEN/NOTIFY channel (see
 * `postgresNotificationChannel`) — or `false` for polling only. Either way it reaches Agenda through a
 * {@link FairNotificationChannel}, so a burst of saves does not starve later job names.
 *
 * @example
 * const agenda = new Agenda({ backend: new KnexBackend({ knex }), processEvery: 1000 });
 */
import type { Knex } from 'knex';
import {
  InMemoryNotificationChannel,
  type AgendaBackend,
  type NotificationChannel,
  type SortDirection,
} from 'agenda';
import { openDatabase } from '../../storage/database.js';
import { FairNotificationChannel } from '../fair-notification-channel.js';
import { KnexJobLogger } from './knex-job-logger.js';
import { KnexJobRepository, type KnexJobRepositoryOptions } from './knex-job-repository.js';
import type { AgendaTableNames } from './schema.js';

/** Options of {@link KnexBackend}. Give `knex` (not closed by `agenda.stop()`) or `url` (owned, closed on stop). */
export interface KnexBackendOptions {
  /** A Knex instance owned by the caller; `agenda.stop()` leaves it open. */
  knex?: Knex;
  /** A `DATABASE_URL` to open a connection the backend owns and closes on `disconnect()`. */
  url?: string;
  /** Table names. Default `{ jobs: 'turtle_agenda_jobs', logs: 'turtle_agenda_job_logs' }`. */
  tableNames?: Partial<AgendaTableNames>;
  /** Create the tables when missing. Default true. */
  ensureSchema?: boolean;
  /**
   * The notification channel: a channel instance, `'memory'` for an in-process one, or `false` for
   * polling only. Default `'memory'`.
   */
  notificationChannel?: NotificationChannel | 'memory' | false;
  /** Claim order. Default `{ nextRunAt: 'asc', priority: 'desc' }`. */
  sort?: { nextRunAt?: SortDirection; priority?: SortDirection };
  /** Called when writing a job's state fails; default a process warning. See {@link KnexJobRepositoryOptions.onError}. */
  onError?: KnexJobRepositoryOptions['onError'];
}

const BACKEND_NAMES = { sqlite: 'SQLite', mysql: 'MySQL/MariaDB', postgres: 'PostgreSQL' } as const;

/** The Knex `AgendaBackend`. */
export class KnexBackend implements AgendaBackend {
  readonly name: string;
  readonly ownsConnection: boolean;
  /** The channel Agenda uses (the one given, or an in-process one, wrapped); undefined when polling only. */
  readonly notificationChannel: FairNotificationChannel | undefined;
  private knex: Knex;
  private repo: KnexJobRepository;
  private jobLogger: KnexJobLogger;
  private connected = false;

  constructor(private readonly options: KnexBackendOptions) {
    if (!options || (!options.knex && !options.url)) throw new Error('KnexBackend needs `knex` or `url`');
    this.ownsConnection = !options.knex;
    this.knex = options.knex ?? openDatabase(options.url);
    const channel = options.notificationChannel ?? 'memory';
    const inner = channel === 'memory' ? new InMemoryNotificationChannel() : channel || undefined;
    this.notificationChannel = inner && new FairNotificationChannel(inner);
    this.repo = this.makeRepository();
    this.jobLogger = this.makeLogger();
    this.name = `Knex (${BACKEND_NAMES[this.repo.kind]})`;
  }

  private makeRepository(): KnexJobRepository {
    const { tableNames, ensureSchema, sort, onError } = this.options;
    return new KnexJobRepository({ knex: this.knex, tableNames, ensureSchema, sort, onError });
  }

  private makeLogger(): KnexJobLogger {
    return new KnexJobLogger({
      knex: this.knex,
      tableName: this.repo.tables.logs,
      ensureSchema: this.options.ensureSchema,
    });
  }

  /** The job repository. */
  get repository(): KnexJobRepository {
    return this.repo;
  }

  /** The job logger (its table is created on first use). */
  get logger(): KnexJobLogger {
    return this.jobLogger;
  }

  /** Creates the tables when missing; may be called more than once (reopens an owned connection after `disconnect()`). */
  async connect(): Promise<void> {
    if (!this.connected && this.ownsConnection && this.knexDestroyed) {
      this.knex = openDatabase(this.options.url);
      this.repo = this.makeRepository();
      this.jobLogger = this.makeLogger();
      this.knexDestroyed = false;
    }
    await this.repo.connect();
    this.connected = true;
  }

  private knexDestroyed = false;

  /** Closes the connection if the backend opened it; a Knex passed in stays open. */
  async disconnect(): Promise<void> {
    this.connected = false;
    if (this.ownsConnection && !this.knexDestroyed) {
      this.knexDestroyed = true;
      await this.knex.destroy();
    }
  }
}
