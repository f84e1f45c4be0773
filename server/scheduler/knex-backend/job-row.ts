/**
 * Mapping between Agenda's `JobParameters` and rows of the jobs table (snake_case columns,
 * epoch-millisecond timestamps, JSON text for `data` and `skipDays`).
 */
import { createHash } from 'node:crypto';
import { toJobId, type JobParameters } from 'agenda';

/** A row of the jobs table as read back from either database. */
export interface JobRow {
  id: string;
  name: string;
  priority: number;
  next_run_at: number | string | null;
  type: string;
  single_key: string | null;
  unique_key: string | null;
  locked_at: number | string | null;
  last_finished_at: number | string | null;
  failed_at: number | string | null;
  fail_count: number | null;
  fail_reason: string | null;
  repeat_timezone: string | null;
  last_run_at: number | string | null;
  repeat_interval: string | null;
  data: string | null;
  repeat_at: string | null;
  disabled: number | boolean;
  progress: number | null;
  fork: number | boolean;
  last_modified_by: string | null;
  debounce_started_at: number | string | null;
  start_date: number | string | null;
  end_date: number | string | null;
  skip_days: string | null;
  created_at: number | string;
}

/** Epoch ms of a date-ish value, or null. */
export function toMs(value: Date | string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const ms = value instanceof Date ? value.getTime() : new Date(value).getTime();
  return Number.isNaN(ms) ? null : ms;
}

function toDate(value: number | string | null): Date | undefined {
  return value === null || value === undefined ? undefined : new Date(Number(value));
}

/** Columns written by every insert and full update (not the processor-managed state). */
export function definitionColumns(job: JobParameters, lastModifiedBy: string | undefined) {
  return {
    name: job.name,
    priority: job.priority ?? 0,
    next_run_at: toMs(job.nextRunAt),
    type: job.type ?? 'normal',
    single_key: job.type === 'single' ? job.name : null,
    repeat_timezone: job.repeatTimezone ?? null,
    repeat_interval:
      job.repeatInterval === undefined || job.repeatInterval === null ? null : String(job.repeatInterval),
    data: job.data === undefined ? null : JSON.stringify(job.data),
    repeat_at: job.repeatAt ?? null,
    disabled: job.disabled ? 1 : 0,
    fork: job.fork ? 1 : 0,
    last_modified_by: lastModifiedBy ?? null,
    start_date: toMs(job.startDate),
    end_date: toMs(job.endDate),
    skip_days: job.skipDays ? JSON.stringify(job.skipDays) : null,
  };
}

/** Columns the job processor changes while running a job (`saveJobState`). */
export function stateColumns(job: JobParameters, lastModifiedBy: string | undefined) {
  return {
    locked_at: toMs(job.lockedAt),
    next_run_at: toMs(job.nextRunAt),
    last_run_at: toMs(job.lastRunAt),
    progress: job.progress ?? null,
    fail_reason: failReasonText(job.failReason),
    fail_count: job.failCount ?? null,
    failed_at: toMs(job.failedAt),
    last_finished_at: toMs(job.lastFinishedAt),
    last_modified_by: lastModifiedBy ?? null,
  };
}

/**
 * `failReason` as the text stored in the `fail_reason` column. Agenda types it as a string but passes
 * what a forked job's child sent (`{}` when it failed without a message): a string is kept, an Error
 * gives its message, anything else its JSON (`String()` when it has none, e.g. a BigInt), and
 * `undefined`/`null` give null. Read back, the reason is that text.
 */
export function failReasonText(reason: unknown): string | null {
  if (reason === undefined || reason === null) return null;
  if (typeof reason === 'string') return reason;
  if (reason instanceof Error) return reason.message;
  try {
    // JSON has no form for a function or a symbol (stringify gives undefined): their own text.
    return JSON.stringify(reason) ?? (reason as symbol | (() => unknown)).toString();
  } catch {
    // A bigint, or circular: what String() would give.
    return typeof reason === 'bigint' ? reason.toString() : Object.prototype.toString.call(reason);
  }
}

/** A row as Agenda's `JobParameters`. */
export function rowToJob(row: JobRow): JobParameters {
  const interval = row.repeat_interval;
  return {
    _id: toJobId(row.id),
    name: row.name,
    priority: Number(row.priority),
    nextRunAt: toDate(row.next_run_at) ?? null,
    type: row.type === 'single' ? 'single' : 'normal',
    lockedAt: toDate(row.locked_at),
    lastFinishedAt: toDate(row.last_finished_at),
    failedAt: toDate(row.failed_at),
    failCount: row.fail_count ?? undefined,
    failReason: row.fail_reason ?? undefined,
    repeatTimezone: row.repeat_timezone ?? undefined,
    lastRunAt: toDate(row.last_run_at),
    // A numeric interval was stored as text; give it back as the number it was.
    repeatInterval: interval === null ? undefined : /^\d+$/.test(interval) ? Number(interval) : interval,
    data: row.data === null ? null : JSON.parse(row.data),
    repeatAt: row.repeat_at ?? undefined,
    disabled: Boolean(Number(row.disabled)),
    progress: row.progress ?? undefined,
    fork: Boolean(Number(row.fork)),
    lastModifiedBy: row.last_modified_by ?? undefined,
    debounceStartedAt: toDate(row.debounce_started_at),
    startDate: toDate(row.start_date),
    endDate: toDate(row.end_date),
    skipDays: row.skip_days ? (JSON.parse(row.skip_days) as number[]) : undefined,
  };
}

/** A fixed-length key for a job's `unique` constraint, so the database can refuse a duplicate insert. */
export function uniqueKeyOf(name: string, unique: Record<string, unknown>): string {
  const canonical = JSON.stringify([
    name,
    Object.keys(unique)
      .sort()
      .map((k) => [k, unique[k]]),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** True when `value` contains `pattern` the way Postgres' `jsonb @>` does (objects by key, arrays by element). */
export function jsonContains(value: unknown, pattern: unknown): boolean {
  if (pattern === null || typeof pattern !== 'object') return value === pattern;
  if (Array.isArray(pattern)) {
    return Array.isArray(value) && pattern.every((p) => value.some((v) => jsonContains(v, p)));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.entries(pattern).every(([k, p]) => jsonContains((value as Record<string, unknown>)[k], p));
}
