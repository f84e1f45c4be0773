/**
 * A schedule is one repeating Agenda job named {@link SCHEDULE_JOB}: its cron and time zone are the
 * job's `repeatInterval`/`repeatTimezone`, its function and inputs the job's data, and a paused
 * schedule is a disabled job. Agenda claims a due job atomically (our Knex backend), so however many
 * workers run, one firing fires once; each firing stores an ordinary execution and enqueues it.
 *
 * Missed firings: Agenda computes the next run from the time a firing runs, so a schedule whose
 * times passed while no worker ran fires once when a worker is back, then at its next time.
 */
import type { Agenda } from 'agenda';
import type { ScheduleSource } from '../../api/schedule.js';
import type { Executions, Logger } from '../executions/index.js';
import { enqueueExecution } from './execution-jobs.js';

/** The Agenda job name of every schedule. */
export const SCHEDULE_JOB = 'turtle-shell.schedule';

/** Data of a {@link SCHEDULE_JOB} job. */
export interface ScheduleJobData {
  scheduleId: string;
  functionName: string;
  /** Validated when the schedule was created (defaults applied). */
  input: Record<string, unknown>;
  source: ScheduleSource;
}

/** The `user` of the executions a schedule fires. */
export function scheduleUser(scheduleId: string): string {
  return `schedule:${scheduleId}`;
}

/**
 * Defines the firing of schedules on a worker's `agenda`: each stores an execution (`user`
 * `schedule:<id>`, `scheduleId` set) and makes it due at once. A firing that cannot store its
 * execution (the function is gone, or its inputs no longer fit a changed schema) is logged and
 * recorded on the job; the schedule fires again at its next time.
 */
export function defineScheduleJob(agenda: Agenda, executions: Executions, logger?: Logger): void {
  agenda.define<ScheduleJobData>(SCHEDULE_JOB, async (job) => {
    const { scheduleId, functionName, input } = job.attrs.data;
    try {
      const execution = await executions.create(functionName, input, {
        user: scheduleUser(scheduleId),
        scheduleId,
      });
      // Should this enqueue fail, the worker's sweep still finds the stored execution.
      await enqueueExecution(agenda, execution);
    } catch (err) {
      logger?.warn({ err, scheduleId, functionName }, 'turtle worker: a schedule could not fire');
      throw err;
    }
  });
}
