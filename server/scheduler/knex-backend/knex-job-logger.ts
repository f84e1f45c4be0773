/**
 * Agenda's `JobLogger` on Knex: job lifecycle events in `turtle_agenda_job_logs`. The table is
 * created on first use, so a backend whose Agenda never enables logging never creates it.
 */
import type { Knex } from 'knex';
import type { JobLogEntry, JobLogger, JobLogQuery, JobLogQueryResult } from 'agenda';
import { databaseKind } from '../../storage/database.js';
import { DEFAULT_TABLE_NAMES, assertTableName, logsTableDdl } from './schema.js';
import { runDdl } from './migrate-agenda.js';

interface LogRow {
  id: number | string;
  timestamp: number | string;
  level: JobLogEntry['level'];
  event: JobLogEntry['event'];
  job_id: string | null;
  job_name: string;
  message: string;
  duration: number | string | null;
  error: string | null;
  fail_count: number | null;
  retry_delay: number | string | null;
  retry_attempt: number | null;
  agenda_name: string | null;
  meta: string | null;
}

/** Options of {@link KnexJobLogger}. */
export interface KnexJobLoggerOptions {
  knex: Knex;
  /** Table name. Default `turtle_agenda_job_logs`. */
  tableName?: string;
  /** Create the table on first use when missing. Default true. */
  ensureSchema?: boolean;
}

/** The Knex `JobLogger`. */
export class KnexJobLogger implements JobLogger {
  private readonly knex: Knex;
  private readonly table: string;
  private readonly ensureSchema: boolean;
  private ready: Promise<void> | undefined;

  constructor({ knex, tableName = DEFAULT_TABLE_NAMES.logs, ensureSchema = true }: KnexJobLoggerOptions) {
    this.knex = knex;
    this.table = assertTableName(tableName);
    this.ensureSchema = ensureSchema;
  }

  private async init(): Promise<void> {
    if (!this.ensureSchema) return;
    this.ready ??= (async () => {
      const kind = databaseKind(this.knex);
      await runDdl(this.knex, kind, logsTableDdl(kind, this.table));
    })().catch((error) => {
      this.ready = undefined;
      throw error;
    });
    await this.ready;
  }

  /** Stores one entry. */
  async log(entry: Omit<JobLogEntry, '_id'>): Promise<void> {
    await this.init();
    await this.knex(this.table).insert({
      timestamp: new Date(entry.timestamp).getTime(),
      level: entry.level,
      event: entry.event,
      job_id: entry.jobId ?? null,
      job_name: entry.jobName,
      message: entry.message,
      duration: entry.duration ?? null,
      error: entry.error ?? null,
      fail_count: entry.failCount ?? null,
      retry_delay: entry.retryDelay ?? null,
      retry_attempt: entry.retryAttempt ?? null,
      agenda_name: entry.agendaName ?? null,
      meta: entry.meta ? JSON.stringify(entry.meta) : null,
    });
  }

  private where(query: Knex.QueryBuilder, q: JobLogQuery): Knex.QueryBuilder {
    if (q.jobId) query.where('job_id', q.jobId);
    if (q.jobName) query.where('job_name', q.jobName);
    if (q.level) query.whereIn('level', ([] as string[]).concat(q.level));
    if (q.event) query.whereIn('event', ([] as string[]).concat(q.event));
    if (q.from) query.where('timestamp', '>=', new Date(q.from).getTime());
    if (q.to) query.where('timestamp', '<=', new Date(q.to).getTime());
    return query;
  }

  /** Entries matching `query`, newest first by default (limit default 50), with the total count. */
  async getLogs(query: JobLogQuery = {}): Promise<JobLogQueryResult> {
    await this.init();
    const dir = query.sort === 'asc' ? 'asc' : 'desc';
    const rows = (await this.where(this.knex(this.table).select('*'), query)
      .orderBy([
        { column: 'timestamp', order: dir },
        { column: 'id', order: dir },
      ])
      .limit(query.limit ?? 50)
      .offset(query.offset ?? 0)) as LogRow[];
    const [count] = (await this.where(this.knex(this.table).count({ n: '*' }), query)) as Array<{
      n: number | string;
    }>;
    return { entries: rows.map(toEntry), total: Number(count?.n ?? 0) };
  }

  /** Deletes entries matching `query` (all without one); returns how many. */
  async clearLogs(query: JobLogQuery = {}): Promise<number> {
    await this.init();
    return (await this.where(this.knex(this.table).delete(), query)) as number;
  }
}

function toEntry(row: LogRow): JobLogEntry {
  const entry: JobLogEntry = {
    _id: String(row.id),
    timestamp: new Date(Number(row.timestamp)),
    level: row.level,
    event: row.event,
    jobName: row.job_name,
    message: row.message,
  };
  if (row.job_id !== null) entry.jobId = row.job_id;
  if (row.duration !== null) entry.duration = Number(row.duration);
  if (row.error !== null) entry.error = row.error;
  if (row.fail_count !== null) entry.failCount = row.fail_count;
  if (row.retry_delay !== null) entry.retryDelay = Number(row.retry_delay);
  if (row.retry_attempt !== null) entry.retryAttempt = row.retry_attempt;
  if (row.agenda_name !== null) entry.agendaName = row.agenda_name;
  if (row.meta !== null) entry.meta = JSON.parse(row.meta) as Record<string, unknown>;
  return entry;
}
