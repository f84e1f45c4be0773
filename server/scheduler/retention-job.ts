/**
 * Retention as a recurring Agenda job: one job, named once for every worker, so that however many
 * workers run, one of them prunes at each interval (Agenda locks the job while it runs).
 */
import type { Agenda } from 'agenda';
import type { Executions, Logger } from '../executions/index.js';
import type { RetentionMs } from '../registry/retention-period.js';

export const PRUNE_JOB = 'turtle-prune';

/** Options of {@link scheduleRetention}. */
export interface RetentionSchedule {
  /** The server-wide period (`TURTLE_RETENTION`); functions may have their own. */
  defaultMs: RetentionMs;
  /** How often to prune; default hourly. */
  every?: string;
}

/** Defines the prune job on `agenda` (started) and schedules it; with no period anywhere a prune reads nothing. */
export async function scheduleRetention(
  agenda: Agenda,
  executions: Executions,
  schedule: RetentionSchedule,
  logger?: Logger,
): Promise<void> {
  agenda.define(
    PRUNE_JOB,
    async () => {
      try {
        await executions.prune({ defaultMs: schedule.defaultMs });
      } catch (err) {
        logger?.warn(
          { err },
          'turtle worker: pruning finished executions failed; trying again at the next interval',
        );
        throw err;
      }
    },
    { concurrency: 1, lockLimit: 1 },
  );
  await agenda.every(schedule.every ?? '1 hour', PRUNE_JOB);
}
