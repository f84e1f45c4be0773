/**
 * Schedules on the wire: `/api/schedules`. A schedule runs one function with fixed inputs at the
 * times of a cron expression in a time zone; each firing is an ordinary execution whose `user` is
 * `schedule:<id>` and whose `scheduleId` is the schedule's id.
 */

/** Where a schedule was defined: in code (`registry.add(fn, { schedules })`) or through the API. */
export type ScheduleSource = 'code' | 'api';

/** One schedule, as the API answers it. */
export interface Schedule {
  /** `<function>.<n>` for code-defined schedules (n counts from 1), a UUID for the API's. */
  id: string;
  functionName: string;
  /** A cron expression of 5 fields (or 6, with seconds first), as cron-parser reads it. */
  cron: string;
  /** An IANA time zone, e.g. `Europe/Berlin`; the cron's times are read in it. */
  timezone: string;
  /**
   * The inputs every firing runs with; secrets (`writeOnly` parameters) are masked as in executions,
   * and listed in `redactedInputs`.
   */
  input: Record<string, unknown>;
  /** JSON pointers into `input` of the masked secrets; `[]` when none. */
  redactedInputs: string[];
  source: ScheduleSource;
  /** A paused schedule does not fire; it keeps its place and resumes at the next time after now. */
  paused: boolean;
  /** When it fires next (null while paused). */
  nextRunAt: string | null;
  /** When it last fired, if it did. */
  lastRunAt: string | null;
}

/** The body of `POST /api/schedules`. */
export interface NewSchedule {
  function: string;
  cron: string;
  /** Default `UTC`. */
  timezone?: string;
  /** Validated against the function's parameters now, not when the schedule fires. Default `{}`. */
  input?: Record<string, unknown>;
}

/** `GET /api/schedules`: every schedule, by function then id. */
export interface ScheduleList {
  items: Schedule[];
}
