/**
 * Turtle's Agenda jobs: one job per background execution (named {@link ADVANCE_JOB}, data
 * `{ executionId }`, unique on that id), enqueued right after the execution is stored, and a sweep
 * that enqueues pending executions that have no live job (the API died between insert and enqueue),
 * so an acknowledged execution is never lost.
 */
import type { Agenda } from 'agenda';
import type { Knex } from 'knex';
import type { Execution, Executions } from '../executions/index.js';
import { uniqueKeyOf } from './knex-backend/job-row.js';
import { DEFAULT_TABLE_NAMES } from './knex-backend/schema.js';

/** The Agenda job name that advances one execution. */
export const ADVANCE_JOB = 'turtle-shell.advance';

/** Data of an {@link ADVANCE_JOB} job. */
export interface AdvanceJobData {
  executionId: string;
}

/** What {@link enqueueExecution} needs of an execution. */
export type Enqueueable = Pick<Execution, 'id'> & Partial<Pick<Execution, 'nextRunAt'>>;

/**
 * Makes sure the execution's job is due at `execution.nextRunAt` (now when null): inserts it, or
 * moves the existing one (a job is unique per execution id, also across processes).
 */
export async function enqueueExecution(agenda: Agenda, execution: Enqueueable): Promise<void> {
  const at = execution.nextRunAt ? new Date(execution.nextRunAt) : new Date();
  await agenda
    .create<AdvanceJobData>(ADVANCE_JOB, { executionId: execution.id })
    .unique({ 'data.executionId': execution.id })
    .schedule(at)
    .save();
}

/** Options of {@link sweepPending}. */
export interface SweepOptions {
  agenda: Agenda;
  knex: Knex;
  executions: Executions;
  /** Heartbeat ttl: executions running with a fresher heartbeat are left alone. */
  heartbeatTtlMs: number;
  /** Jobs table name. Default `turtle_agenda_jobs`. */
  jobsTable?: string;
  /** At most this many pending executions looked at per sweep. Default 1000. */
  limit?: number;
}

/**
 * Enqueues every due pending execution whose job is missing or finished (not due, not locked).
 * @returns how many were enqueued.
 */
export async function sweepPending({
  agenda,
  knex,
  executions,
  heartbeatTtlMs,
  jobsTable = DEFAULT_TABLE_NAMES.jobs,
  limit = 1000,
}: SweepOptions): Promise<number> {
  const pending = await executions.pending({ limit, heartbeatTtlMs });
  let enqueued = 0;
  for (let i = 0; i < pending.length; i += 500) {
    const chunk = pending.slice(i, i + 500);
    // The unique key is a hash of the job's unique query, so one indexed IN finds every job.
    const keyOf = new Map(chunk.map((e) => [uniqueKeyOf(ADVANCE_JOB, { 'data.executionId': e.id }), e]));
    const rows = await knex(jobsTable)
      .whereIn('unique_key', [...keyOf.keys()])
      .select<Array<{ unique_key: string; next_run_at: unknown; locked_at: unknown }>>(
        'unique_key',
        'next_run_at',
        'locked_at',
      );
    const live = new Set(
      rows.filter((r) => r.next_run_at !== null || r.locked_at !== null).map((r) => r.unique_key),
    );
    for (const [key, execution] of keyOf) {
      if (live.has(key)) continue;
      await enqueueExecution(agenda, execution);
      enqueued++;
    }
  }
  return enqueued;
}
