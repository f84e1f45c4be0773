/**
 * Agenda's `JobRepository` on Knex, for SQLite, MySQL/MariaDB and PostgreSQL. Semantics follow
 * Agenda's official PostgreSQL backend (computed states, upserts, locking); claiming is atomic across
 * processes: MySQL/MariaDB lock the candidate with `FOR UPDATE SKIP LOCKED` in one transaction,
 * PostgreSQL does the same in one `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED) RETURNING *`
 * statement, and SQLite claims it in one `UPDATE … RETURNING` statement (the database file is
 * serialised by SQLite's write lock).
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import {
  computeJobState,
  toJobId,
  type JobId,
  type JobParameters,
  type JobRepository,
  type JobRepositoryOptions,
  type JobsOverview,
  type JobsQueryOptions,
  type JobsResult,
  type JobsSort,
  type JobWithState,
  type RemoveJobsOptions,
  type SortDirection,
} from 'agenda';
import { databaseKind, type DatabaseKind } from '../../storage/database.js';
import { migrateAgendaTables } from './migrate-agenda.js';
import { DEFAULT_TABLE_NAMES, assertTableName, type AgendaTableNames } from './schema.js';
import {
  definitionColumns,
  failReasonText,
  jsonContains,
  rowToJob,
  stateColumns,
  toMs,
  uniqueKeyOf,
  type JobRow,
} from './job-row.js';

/** Options of {@link KnexJobRepository}. */
export interface KnexJobRepositoryOptions {
  /** The Knex instance, opened by `openDatabase` (SQLite, MySQL/MariaDB or PostgreSQL). */
  knex: Knex;
  /** Table names; default `turtle_agenda_jobs` / `turtle_agenda_job_logs`. */
  tableNames?: Partial<AgendaTableNames>;
  /** Create the tables on `connect()` when missing. Default true. */
  ensureSchema?: boolean;
  /** Order in which due jobs are claimed. Default `{ nextRunAt: 'asc', priority: 'desc' }`. */
  sort?: { nextRunAt?: SortDirection; priority?: SortDirection };
  /**
   * Called when writing a job's state fails for a reason other than the job being gone. Agenda
   * ignores a failed final save of a job (it only logs it with `debug`), which would leave the job
   * locked until its lock expires without a word; the error is still thrown to Agenda after this.
   * Default: a process warning (`process.emitWarning`, printed on stderr).
   */
  onError?: (error: unknown, context: WriteErrorContext) => void;
}

/** What failed, for {@link KnexJobRepositoryOptions.onError}. */
export interface WriteErrorContext {
  operation: 'saveJobState';
  jobId: string;
  jobName: string;
}

function warn(error: unknown, { operation, jobId, jobName }: WriteErrorContext): void {
  const message = error instanceof Error ? error.message : String(error);
  process.emitWarning(
    `${operation} of Agenda job ${jobId} (${jobName}) failed: ${message}`,
    'AgendaJobWriteWarning',
  );
}

/** Columns a `unique` constraint may name directly (identifiers cannot be bound, so they are allow-listed). */
const UNIQUE_COLUMNS = new Set([
  'id',
  'name',
  'priority',
  'next_run_at',
  'type',
  'locked_at',
  'last_finished_at',
  'failed_at',
  'fail_count',
  'fail_reason',
  'repeat_timezone',
  'last_run_at',
  'repeat_interval',
  'repeat_at',
  'disabled',
  'progress',
  'fork',
  'last_modified_by',
  'debounce_started_at',
  'start_date',
  'end_date',
]);
const DATA_PATH = /^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$/;

/** Error raised by `saveJobState` when the job's row is gone. */
export class JobNotFoundError extends Error {
  readonly type = 'AgendaJobNotFound';
  override name = 'AgendaJobNotFound';
  constructor(readonly details: { id: string; name: string }) {
    super(
      `job ${details.id} (name: ${details.name}) cannot be updated in the database, maybe it does not exist anymore?`,
    );
  }
}

/** Expired locks are looked for when the lock deadline moved on by this much since the last look. */
const EXPIRED_CHECK_MS = 1000;

function isDuplicateKey(error: unknown): boolean {
  const e = error as { code?: string; errno?: number };
  return (
    e?.code === 'ER_DUP_ENTRY' ||
    e?.errno === 1062 ||
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/** The Knex `JobRepository`. */
export class KnexJobRepository implements JobRepository {
  readonly knex: Knex;
  readonly kind: DatabaseKind;
  readonly tables: AgendaTableNames;
  private readonly ensureSchema: boolean;
  private readonly onError: (error: unknown, context: WriteErrorContext) => void;
  private readonly nextDir: 'ASC' | 'DESC';
  private readonly priorityDir: 'ASC' | 'DESC';
  /** Per job name, the lock deadline up to which expired locks were last looked for. */
  private readonly expiredCheckedAt = new Map<string, number>();
  private schemaReady: Promise<void> | undefined;

  constructor(options: KnexJobRepositoryOptions) {
    if (!options?.knex) throw new Error('KnexJobRepository needs a knex instance');
    this.knex = options.knex;
    this.kind = databaseKind(options.knex);
    this.tables = { ...DEFAULT_TABLE_NAMES, ...options.tableNames };
    assertTableName(this.tables.jobs);
    assertTableName(this.tables.logs);
    this.ensureSchema = options.ensureSchema ?? true;
    this.onError = options.onError ?? warn;
    this.nextDir = options.sort?.nextRunAt === 'desc' ? 'DESC' : 'ASC';
    this.priorityDir = options.sort?.priority === 'asc' ? 'ASC' : 'DESC';
  }

  /** Creates the jobs table when missing; safe to call more than once. */
  async connect(): Promise<void> {
    if (!this.ensureSchema) return;
    this.schemaReady ??= migrateAgendaTables(this.knex, { names: this.tables, logs: false }).catch(
      (error) => {
        this.schemaReady = undefined;
        throw error;
      },
    );
    await this.schemaReady;
  }

  private get table() {
    return this.knex<JobRow>(this.tables.jobs);
  }

  private get q(): string {
    return this.kind === 'mysql' ? `\`${this.tables.jobs}\`` : `"${this.tables.jobs}"`;
  }

  /** Gets one job by id, or null. */
  async getJobById(id: string): Promise<JobParameters | null> {
    const row = await this.table.where({ id: String(id) }).first();
    return row ? rowToJob(row) : null;
  }

  /** Queries jobs with filters, computed states and paging (state/data filters are applied after reading). */
  async queryJobs(options: JobsQueryOptions = {}): Promise<JobsResult> {
    const {
      name,
      names,
      state,
      id,
      ids,
      search,
      data,
      includeDisabled = true,
      sort,
      skip = 0,
      limit = 0,
    } = options;
    const query = this.table.select('*');
    if (name) query.where('name', name);
    else if (names?.length) query.whereIn('name', names);
    if (id) query.where('id', String(id));
    else if (ids?.length) query.whereIn('id', ids.map(String));
    if (search)
      query.whereRaw('LOWER(name) LIKE ?', [`%${search.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`]);
    if (!includeDisabled) query.where('disabled', 0);
    this.applySort(query, sort);
    const now = new Date();
    if (!state && data === undefined) {
      const countQuery = query.clone().clearSelect().clearOrder().count({ n: '*' });
      if (limit > 0) query.limit(limit);
      if (skip > 0) query.offset(skip).limit(limit > 0 ? limit : Number.MAX_SAFE_INTEGER);
      const [rows, count] = await Promise.all([query, countQuery]);
      return {
        jobs: rows.map((row) => withState(rowToJob(row), now)),
        total: Number((count[0] as { n: number | string }).n),
      };
    }
    const all = (await query)
      .map((row) => withState(rowToJob(row), now))
      .filter((job) => data === undefined || jsonContains(job.data, data))
      .filter((job) => !state || (state === 'paused' ? job.disabled === true : job.state === state));
    const page = limit > 0 ? all.slice(skip, skip + limit) : all.slice(skip);
    return { jobs: page, total: all.length };
  }

  private applySort(query: Knex.QueryBuilder, sort: JobsSort | undefined): void {
    const columns: [keyof JobsSort, string, boolean][] = [
      ['nextRunAt', 'next_run_at', true],
      ['lastRunAt', 'last_run_at', true],
      ['lastFinishedAt', 'last_finished_at', true],
      ['priority', 'priority', false],
      ['name', 'name', false],
    ];
    const parts = sort ? columns.filter(([key]) => sort[key] !== undefined) : [];
    if (!sort || parts.length === 0) {
      query.orderByRaw('(next_run_at IS NULL), next_run_at DESC, (last_run_at IS NULL), last_run_at DESC');
    } else {
      for (const [key, column, nullable] of parts) {
        const dir = sort[key] === 'asc' ? 'ASC' : 'DESC';
        query.orderByRaw(nullable ? `(${column} IS NULL), ${column} ${dir}` : `${column} ${dir}`);
      }
    }
    query.orderBy('id');
  }

  /** Counts of jobs per computed state, for each job name. */
  async getJobsOverview(): Promise<JobsOverview[]> {
    const rows = (await this.table
      .select(
        'name',
        'locked_at',
        'last_finished_at',
        'failed_at',
        'next_run_at',
        'repeat_interval',
        'disabled',
      )
      .orderBy('name')) as JobRow[];
    const now = new Date();
    const byName = new Map<string, JobsOverview>();
    for (const row of rows) {
      let overview = byName.get(row.name);
      if (!overview) {
        overview = {
          name: row.name,
          total: 0,
          running: 0,
          scheduled: 0,
          queued: 0,
          completed: 0,
          failed: 0,
          repeating: 0,
          paused: 0,
        };
        byName.set(row.name, overview);
      }
      const job = rowToJob({ ...row, data: null, skip_days: null });
      overview.total++;
      overview[computeJobState(job, now)]++;
      if (job.disabled) overview.paused++;
    }
    return [...byName.values()];
  }

  /** Every job name, sorted. */
  async getDistinctJobNames(): Promise<string[]> {
    const rows = await this.table.distinct('name').orderBy('name');
    return rows.map((row: { name: string }) => row.name);
  }

  /** Number of jobs whose next run is in the past. */
  async getQueueSize(): Promise<number> {
    const [row] = await this.table.where('next_run_at', '<', Date.now()).count({ n: '*' });
    return Number((row as { n: number | string }).n);
  }

  /** Turns a `RemoveJobsOptions` filter into a where-clause; null when it names nothing (then nothing is touched). */
  private async filterIds(options: RemoveJobsOptions): Promise<((q: Knex.QueryBuilder) => void) | null> {
    const filters: ((q: Knex.QueryBuilder) => void)[] = [];
    if (options.id)
      filters.push((q) => {
        q.where('id', String(options.id));
      });
    else if (options.ids?.length)
      filters.push((q) => {
        q.whereIn('id', options.ids!.map(String));
      });
    if (options.name)
      filters.push((q) => {
        q.where('name', options.name!);
      });
    else if (options.names?.length)
      filters.push((q) => {
        q.whereIn('name', options.names!);
      });
    else if (options.notNames?.length)
      filters.push((q) => {
        q.whereNotIn('name', options.notNames!);
      });
    if (options.data !== undefined) {
      // JSON containment is not portable SQL: select by the other criteria, match data here, act by id.
      const base = this.table.select('id', 'data');
      for (const f of filters) f(base);
      const ids = (await base)
        .filter((row) => jsonContains(row.data === null ? null : JSON.parse(row.data), options.data))
        .map((row) => row.id);
      return (q) => {
        q.whereIn('id', ids);
      };
    }
    if (filters.length === 0) return null;
    return (q) => {
      for (const f of filters) f(q);
    };
  }

  /** Removes matching jobs; an empty filter removes nothing. */
  async removeJobs(options: RemoveJobsOptions): Promise<number> {
    const filter = await this.filterIds(options);
    if (!filter) return 0;
    const query = this.table.delete();
    filter(query);
    return await query;
  }

  /** Disables matching jobs; an empty filter disables nothing. */
  async disableJobs(options: RemoveJobsOptions): Promise<number> {
    return this.setDisabled(options, 1);
  }

  /** Enables matching jobs; an empty filter enables nothing. */
  async enableJobs(options: RemoveJobsOptions): Promise<number> {
    return this.setDisabled(options, 0);
  }

  private async setDisabled(options: RemoveJobsOptions, disabled: 0 | 1): Promise<number> {
    const filter = await this.filterIds(options);
    if (!filter) return 0;
    const query = this.table.update({ disabled });
    filter(query);
    return await query;
  }

  /** Removes every job. */
  async purgeAllJobs(): Promise<number> {
    return await this.table.delete();
  }

  /** Releases a job's lock unless it is a one-shot job being processed (next run null). */
  async unlockJob(job: JobParameters): Promise<void> {
    if (!job._id) return;
    await this.table.where('id', String(job._id)).whereNotNull('next_run_at').update({ locked_at: null });
  }

  /** Releases the locks of the given jobs. */
  async unlockJobs(jobIds: (JobId | string)[]): Promise<void> {
    if (jobIds.length === 0) return;
    await this.table.whereIn('id', jobIds.map(String)).update({ locked_at: null });
  }

  /** Writes the processor-managed fields; throws {@link JobNotFoundError} when no row matched. */
  async saveJobState(job: JobParameters, options: JobRepositoryOptions | undefined): Promise<void> {
    if (!job._id) throw new Error('Cannot save job state without job ID');
    const id = String(job._id);
    let changed: number;
    try {
      changed = await this.table
        .where({ id, name: job.name })
        .update(stateColumns(job, options?.lastModifiedBy));
    } catch (error) {
      this.onError(error, { operation: 'saveJobState', jobId: id, jobName: job.name });
      throw error;
    }
    // A job removed meanwhile (e.g. on completion) is not an error worth reporting: Agenda expects this throw.
    if (changed !== 1) throw new JobNotFoundError({ id, name: job.name });
  }

  /** Locks one given job if it is unlocked and still due at the same time. */
  async lockJob(
    job: JobParameters,
    options: JobRepositoryOptions | undefined,
  ): Promise<JobParameters | undefined> {
    if (!job._id) return undefined;
    const id = String(job._id);
    const changed = await this.table
      .where({ id, name: job.name, disabled: 0 })
      .whereNull('locked_at')
      .where('next_run_at', toMs(job.nextRunAt))
      .update({ locked_at: Date.now(), last_modified_by: options?.lastModifiedBy ?? null });
    if (changed !== 1) return undefined;
    return (await this.getJobById(id)) ?? undefined;
  }

  /**
   * Claims the next due (or lock-expired) job of `jobName`, atomically across processes.
   * Two index-ordered claims instead of one `OR`: due jobs walk `(name, disabled, locked_at,
   * next_run_at, priority DESC)` and stop at the first free row; expired locks (rare: a worker died)
   * are looked for at most once per second of lock deadline per job name.
   */
  async getNextJobToRun(
    jobName: string,
    nextScanAt: Date,
    lockDeadline: Date,
    now: Date | undefined,
    options: JobRepositoryOptions | undefined,
  ): Promise<JobParameters | undefined> {
    const lockedAt = (now ?? new Date()).getTime();
    const by = options?.lastModifiedBy ?? null;
    const deadline = lockDeadline.getTime();
    if (deadline >= (this.expiredCheckedAt.get(jobName) ?? -Infinity) + EXPIRED_CHECK_MS) {
      const expired = await this.claim(
        `name = ? AND disabled = 0 AND locked_at <= ?`,
        [jobName, deadline],
        `(next_run_at IS NULL) ASC, next_run_at ${this.nextDir}, priority ${this.priorityDir}`,
        lockedAt,
        by,
      );
      if (expired) return expired;
      this.expiredCheckedAt.set(jobName, deadline);
    }
    return this.claim(
      `name = ? AND disabled = 0 AND locked_at IS NULL AND next_run_at <= ?`,
      [jobName, nextScanAt.getTime()],
      `next_run_at ${this.nextDir}, priority ${this.priorityDir}`,
      lockedAt,
      by,
    );
  }

  private async claim(
    where: string,
    params: Knex.Value[],
    order: string,
    lockedAt: number,
    by: string | null,
  ): Promise<JobParameters | undefined> {
    if (this.kind !== 'mysql') {
      // PostgreSQL: the subquery skips rows another claim holds, so concurrent claims take different jobs.
      const lock = this.kind === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
      const raw: unknown = await this.knex.raw(
        `UPDATE ${this.q} SET locked_at = ?, last_modified_by = ?
         WHERE id = (SELECT id FROM ${this.q} WHERE ${where} ORDER BY ${order} LIMIT 1${lock})
         RETURNING *`,
        [lockedAt, by, ...params],
      );
      // better-sqlite3 answers the rows, pg a result with `rows`.
      const rows = (this.kind === 'postgres' ? (raw as { rows: JobRow[] }).rows : raw) as JobRow[];
      return rows[0] ? rowToJob(rows[0]) : undefined;
    }
    return await this.knex.transaction(async (trx) => {
      const [rows] = (await trx.raw(
        `SELECT * FROM ${this.q} WHERE ${where} ORDER BY ${order} LIMIT 1 FOR UPDATE SKIP LOCKED`,
        params,
      )) as [JobRow[]];
      const row = rows[0];
      if (!row) return undefined;
      await trx(this.tables.jobs).where('id', row.id).update({ locked_at: lockedAt, last_modified_by: by });
      // The row is locked by this transaction, so it is exactly what was read plus this update.
      return rowToJob({ ...row, locked_at: lockedAt, last_modified_by: by });
    });
  }

  /**
   * Inserts or updates a job: by id, by name for `single` jobs, by its `unique` query (with debounce),
   * or as new. A unique job is identified by its name and the fields and values of its `unique` query
   * (in any order): a later save with the same query updates it (or, `insertOnly`, leaves it); a job
   * saved without that query, or with other fields, is a different job.
   */
  async saveJob<DATA = unknown>(
    job: JobParameters<DATA>,
    options: JobRepositoryOptions | undefined,
  ): Promise<JobParameters<DATA>> {
    const by = options?.lastModifiedBy;
    const { _id, unique, uniqueOpts } = job;
    const columns = definitionColumns(job, by);
    if (_id) {
      const changed = await this.table.where({ id: String(_id), name: job.name }).update({
        ...columns,
        fail_reason: failReasonText(job.failReason),
        fail_count: job.failCount ?? null,
        failed_at: toMs(job.failedAt),
      });
      if (changed === 0) return job; // removed meanwhile: hand the data back unchanged
      return ((await this.getJobById(String(_id))) ?? job) as JobParameters<DATA>;
    }
    if (job.type === 'single') return (await this.saveSingle(job, columns)) as JobParameters<DATA>;
    if (unique) return (await this.saveUnique(job, columns, unique, uniqueOpts)) as JobParameters<DATA>;
    return (await this.insert(columns)) as JobParameters<DATA>;
  }

  private async insert(columns: Record<string, unknown>): Promise<JobParameters> {
    const row = { ...EMPTY_ROW, ...columns, id: randomUUID(), created_at: Date.now() } as JobRow;
    await this.table.insert(row);
    // The id is ours, so the row is what we wrote (reading it back could race a worker that already
    // ran and removed the job).
    return rowToJob(row);
  }

  /** The row after an update, or (when a worker removed it meanwhile) the data we wrote. */
  private async readBack(id: string, written: JobRow): Promise<JobParameters> {
    return (await this.getJobById(id)) ?? rowToJob(written);
  }

  private async saveSingle(
    job: JobParameters,
    columns: ReturnType<typeof definitionColumns>,
  ): Promise<JobParameters> {
    for (let attempt = 0; ; attempt++) {
      const existing = await this.table.where('single_key', job.name).first();
      if (existing) {
        const { single_key: _key, ...update } = columns;
        // A due time in the past must not move a job that is already scheduled (every() on each start).
        const protect =
          job.nextRunAt && job.nextRunAt.getTime() <= Date.now() && existing.next_run_at !== null;
        if (protect) update.next_run_at = Number(existing.next_run_at);
        await this.table.where('id', existing.id).update(update);
        return this.readBack(existing.id, { ...existing, ...update });
      }
      try {
        return await this.insert(columns);
      } catch (error) {
        // Another process inserted the same single job between our read and insert: update it instead.
        if (!isDuplicateKey(error) || attempt > 0) throw error;
      }
    }
  }

  /** Throws unless every field of a `unique` query names `data.<path>` or a job column, as Agenda requires. */
  private assertUniqueFields(unique: Record<string, unknown>): void {
    for (const key of Object.keys(unique)) {
      const valid = key.startsWith('data.')
        ? DATA_PATH.test(key.slice(5))
        : UNIQUE_COLUMNS.has(key.replace(/([A-Z])/g, '_$1').toLowerCase());
      if (!valid) throw new Error(`Invalid unique constraint field: "${key}"`);
    }
  }

  private async saveUnique(
    job: JobParameters,
    columns: ReturnType<typeof definitionColumns>,
    unique: Record<string, unknown>,
    uniqueOpts: JobParameters['uniqueOpts'],
  ): Promise<JobParameters> {
    const debounce = uniqueOpts?.debounce;
    this.assertUniqueFields(unique);
    // The job is found by the hash of its unique query, on the unique index: one row read, however
    // many jobs of this name wait (a scan of their data would cost every enqueue the whole backlog).
    const uniqueKey = uniqueKeyOf(job.name, unique);
    for (let attempt = 0; ; attempt++) {
      const now = Date.now();
      const existing: JobRow | undefined = await this.table.where('unique_key', uniqueKey).first();
      if (existing) {
        if (uniqueOpts?.insertOnly && !debounce) return rowToJob(existing);
        let nextRunAt = columns.next_run_at;
        let debounceStartedAt: number | null = null;
        if (debounce) {
          const startedAt =
            existing.debounce_started_at === null ? now : Number(existing.debounce_started_at);
          if (debounce.strategy === 'leading') {
            nextRunAt = existing.next_run_at === null ? null : Number(existing.next_run_at);
            debounceStartedAt = startedAt;
          } else if (debounce.maxWait && now - startedAt >= debounce.maxWait) {
            nextRunAt = now;
          } else {
            nextRunAt = now + debounce.delay;
            debounceStartedAt = startedAt;
          }
        }
        const { single_key: _key, name: _name, ...update } = columns;
        const written = { ...update, next_run_at: nextRunAt, debounce_started_at: debounceStartedAt };
        await this.table.where('id', existing.id).update(written);
        return this.readBack(existing.id, { ...existing, ...written });
      }
      const insert: Record<string, unknown> = { ...columns, unique_key: uniqueKey };
      if (debounce) {
        insert.debounce_started_at = now;
        if (debounce.strategy !== 'leading') insert.next_run_at = now + debounce.delay;
      }
      try {
        return await this.insert(insert);
      } catch (error) {
        // A concurrent save of the same unique job won the insert: take the update path against it.
        if (!isDuplicateKey(error) || attempt > 0) throw error;
      }
    }
  }
}

/** Every column's value when not written. */
const EMPTY_ROW: Omit<JobRow, 'id' | 'name' | 'created_at'> = {
  priority: 0,
  next_run_at: null,
  type: 'normal',
  single_key: null,
  unique_key: null,
  locked_at: null,
  last_finished_at: null,
  failed_at: null,
  fail_count: null,
  fail_reason: null,
  repeat_timezone: null,
  last_run_at: null,
  repeat_interval: null,
  data: null,
  repeat_at: null,
  disabled: 0,
  progress: null,
  fork: 0,
  last_modified_by: null,
  debounce_started_at: null,
  start_date: null,
  end_date: null,
  skip_days: null,
};

function withState(job: JobParameters, now: Date): JobWithState {
  return { ...job, _id: job._id ?? toJobId(''), state: computeJobState(job, now) };
}
