/**
 * The schedules: create, list, read, pause, resume and delete them, and keep those defined in code
 * (`registry.add(fn, { schedules })`) in step at start. They are Agenda's repeating jobs (see
 * `schedule-job.ts`), reached through Agenda's public API only.
 *
 * - A paused schedule is a disabled job: it keeps its row and does not fire. Resuming it does not
 *   catch up on the times it was paused: it fires next at the first time after the resume.
 * - Pausing a paused schedule, resuming a running one and deleting one defined in code (it would come
 *   back at the next start; pause it instead) throw `IllegalScheduleChange`.
 */
import { randomUUID } from 'node:crypto';
import { Job, type Agenda, type JobParameters } from 'agenda';
import type { ScheduleSource } from '../../api/schedule.js';
import { DEFAULT_SCHEDULE_TIMEZONE, scheduleSpecProblems } from '../../manifest/schedule-spec.js';
import { IllegalScheduleChange, ScheduleNotFound, ValidationError, type ValidationIssue } from '../errors.js';
import type { BoundRegistry } from '../registry/index.js';
import { SCHEDULE_JOB, type ScheduleJobData } from './schedule-job.js';

/** A schedule as the service answers it (inputs unmasked). */
export interface ScheduleInfo {
  id: string;
  functionName: string;
  cron: string;
  timezone: string;
  input: Record<string, unknown>;
  source: ScheduleSource;
  paused: boolean;
  /** Null while paused. */
  nextRunAt: Date | null;
  lastRunAt: Date | null;
}

/** What {@link Schedules.create} takes. */
export interface ScheduleDefinition {
  functionName: string;
  cron: string;
  /** Default `UTC`. */
  timezone?: string;
  /** Default `{}`. */
  input?: Record<string, unknown>;
}

/** The schedules service. */
export interface Schedules {
  /**
   * Creates a schedule (source `api`) firing first at its next time after now.
   * @throws UnknownFunction; ValidationError for a bad cron (`/cron`), time zone (`/timezone`), a
   * function run in the request (`/function`) or inputs that do not fit (`/input/…`).
   */
  create(definition: ScheduleDefinition): Promise<ScheduleInfo>;
  /** Every schedule, by function then id. */
  list(): Promise<ScheduleInfo[]>;
  /** @throws ScheduleNotFound */
  get(id: string): Promise<ScheduleInfo>;
  /** @throws ScheduleNotFound, IllegalScheduleChange when already paused */
  pause(id: string): Promise<ScheduleInfo>;
  /** @throws ScheduleNotFound, IllegalScheduleChange when not paused */
  resume(id: string): Promise<ScheduleInfo>;
  /** @throws ScheduleNotFound, IllegalScheduleChange for a schedule defined in code */
  remove(id: string): Promise<void>;
  /**
   * Brings the stored code-defined schedules in step with the bound functions' `schedules` option:
   * inserts the missing, updates those whose cron, time zone or inputs changed (keeping them paused
   * if they were, next time recomputed), leaves the unchanged alone (so a time missed while no worker
   * ran still fires once) and deletes those no longer defined. Safe to run from several processes
   * at once.
   */
  syncFromCode(): Promise<void>;
}

/** Options of {@link createSchedules}. */
export interface SchedulesOptions {
  /** An Agenda on the Knex backend (started or not). */
  agenda: Agenda;
  /** The bound registry: the functions schedules may run, and the schedules defined in code. */
  functions: Pick<BoundRegistry, 'require' | 'list'>;
}

/**
 * Creates the schedules service.
 * @example
 * const schedules = createSchedules({ agenda: scheduler.agenda, functions });
 * await schedules.syncFromCode();
 * await schedules.create({ functionName: 'resend', cron: '0 3 * * *', timezone: 'Europe/Berlin' });
 */
export function createSchedules({ agenda, functions }: SchedulesOptions): Schedules {
  const byId = { name: SCHEDULE_JOB };
  const find = async (id: string) =>
    (await agenda.queryJobs({ ...byId, data: { scheduleId: id } })).jobs[0] as
      JobParameters<ScheduleJobData> | undefined;
  const require = async (id: string) => {
    const job = await find(id);
    if (!job) throw new ScheduleNotFound(id);
    return job;
  };
  const all = async () => (await agenda.queryJobs(byId)).jobs as unknown as JobParameters<ScheduleJobData>[];

  /** A new repeating job, or (given `existing`) that job redefined; its next time is after now. */
  const save = async (
    data: ScheduleJobData,
    cron: string,
    timezone: string,
    existing?: JobParameters<ScheduleJobData>,
  ) => {
    const job = existing
      ? new Job<ScheduleJobData>(agenda, { ...existing, data, nextRunAt: null })
      : agenda.create<ScheduleJobData>(SCHEDULE_JOB, data);
    // One job per schedule id, also when two processes insert the same code schedule at once.
    if (!existing) job.unique({ 'data.scheduleId': data.scheduleId }, { insertOnly: true });
    job.repeatEvery(cron, { timezone, skipImmediate: true });
    await job.save();
  };

  return {
    async create(definition) {
      const fn = functions.require(definition.functionName);
      const timezone = definition.timezone ?? DEFAULT_SCHEDULE_TIMEZONE;
      const issues: ValidationIssue[] = scheduleSpecProblems(definition.cron, timezone).map((p) => ({
        ...p,
        keyword: 'format',
        params: {},
      }));
      if (fn.mode !== 'async') {
        issues.push({
          path: '/function',
          message: `${fn.name} runs in the request (registry.addSync); only background functions can be scheduled`,
          keyword: 'mode',
          params: {},
        });
      }
      let input: Record<string, unknown> = {};
      try {
        input = fn.validateInput(definition.input ?? {});
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        issues.push(...err.details.errors.map((e) => ({ ...e, path: `/input${e.path}` })));
      }
      if (issues.length) throw new ValidationError(issues);
      const id = randomUUID();
      await save({ scheduleId: id, functionName: fn.name, input, source: 'api' }, definition.cron, timezone);
      return info(await require(id));
    },

    async list() {
      return (await all())
        .map(info)
        .sort((a, b) => compare(a.functionName, b.functionName) || compare(a.id, b.id));
    },

    async get(id) {
      return info(await require(id));
    },

    async pause(id) {
      const job = await require(id);
      if (job.disabled) throw new IllegalScheduleChange(id, 'pause', 'it is paused already');
      await agenda.disable({ id: String(job._id) });
      return info(await require(id));
    },

    async resume(id) {
      const job = await require(id);
      if (!job.disabled) throw new IllegalScheduleChange(id, 'resume', 'it is not paused');
      // Next time from now: the times it was paused are not caught up.
      await save(job.data, String(job.repeatInterval), timezoneOf(job), { ...job, disabled: false });
      return info(await require(id));
    },

    async remove(id) {
      const job = await require(id);
      if (job.data.source === 'code') {
        throw new IllegalScheduleChange(
          id,
          'delete',
          'it is defined in code (the schedules option) and would come back at the next start; pause it instead',
        );
      }
      await agenda.cancel({ id: String(job._id) });
    },

    async syncFromCode() {
      const stored = new Map(
        (await all()).filter((job) => job.data.source === 'code').map((job) => [job.data.scheduleId, job]),
      );
      const defined = new Set<string>();
      for (const fn of functions.list()) {
        for (const schedule of fn.schedules) {
          defined.add(schedule.id);
          const data: ScheduleJobData = {
            scheduleId: schedule.id,
            functionName: fn.name,
            input: schedule.input,
            source: 'code',
          };
          const existing = stored.get(schedule.id);
          const same =
            existing &&
            existing.repeatInterval === schedule.cron &&
            timezoneOf(existing) === schedule.timezone &&
            JSON.stringify(existing.data) === JSON.stringify(data);
          if (!same) await save(data, schedule.cron, schedule.timezone, existing);
        }
      }
      for (const [id, job] of stored) {
        if (!defined.has(id)) await agenda.cancel({ id: String(job._id) });
      }
    },
  };
}

function timezoneOf(job: JobParameters): string {
  return job.repeatTimezone ?? DEFAULT_SCHEDULE_TIMEZONE;
}

function info(job: JobParameters<ScheduleJobData>): ScheduleInfo {
  const paused = job.disabled === true;
  return {
    id: job.data.scheduleId,
    functionName: job.data.functionName,
    cron: String(job.repeatInterval),
    timezone: timezoneOf(job),
    input: job.data.input,
    source: job.data.source,
    paused,
    nextRunAt: paused || !job.nextRunAt ? null : new Date(job.nextRunAt),
    lastRunAt: job.lastRunAt ? new Date(job.lastRunAt) : null,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
