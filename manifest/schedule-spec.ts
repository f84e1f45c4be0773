/**
 * What a schedule's `cron` and `timezone` may be: the one check shared by `turtle schema` (for
 * `registry.add(fn, { schedules })`), the server at start and `POST /api/schedules`, so that a
 * schedule accepted at build time is accepted at run time.
 */
import { CronExpressionParser } from 'cron-parser';

/** The time zone of a schedule that names none. */
export const DEFAULT_SCHEDULE_TIMEZONE = 'UTC';

/** One problem with a schedule's `cron` or `timezone`; `path` is `/cron` or `/timezone`. */
export interface ScheduleSpecProblem {
  path: '/cron' | '/timezone';
  message: string;
}

/**
 * The problems of `cron` in `timezone` (none when both are good). A cron has 5 fields (minute hour
 * day-of-month month day-of-week), or 6 with seconds first, or is an alias such as `@daily`; a time
 * zone is an IANA name such as `Europe/Berlin`.
 */
export function scheduleSpecProblems(cron: unknown, timezone: unknown): ScheduleSpecProblem[] {
  const problems = cronProblems(cron);
  if (typeof timezone !== 'string' || !isTimeZone(timezone)) {
    problems.push({
      path: '/timezone',
      message: `timezone ${JSON.stringify(timezone)} is not an IANA time zone such as Europe/Berlin or UTC`,
    });
  }
  return problems;
}

function cronProblems(cron: unknown): ScheduleSpecProblem[] {
  const problems: ScheduleSpecProblem[] = [];
  const fields = typeof cron === 'string' ? cron.trim().split(/\s+/) : [];
  const alias = fields.length === 1 && fields[0]!.startsWith('@');
  if (typeof cron !== 'string' || (!alias && fields.length !== 5 && fields.length !== 6)) {
    problems.push({
      path: '/cron',
      message: `cron ${JSON.stringify(cron)} must have 5 fields (minute hour day month weekday) or 6 (seconds first)`,
    });
    return problems;
  }
  try {
    CronExpressionParser.parse(cron, { tz: 'UTC' });
  } catch (err) {
    problems.push({
      path: '/cron',
      message: `cron ${JSON.stringify(cron)} is not valid: ${(err as Error).message}`,
    });
  }
  return problems;
}

function isTimeZone(name: string): boolean {
  if (name.trim() === '') return false;
  try {
    // Throws a RangeError for a name the runtime's time-zone database does not know.
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
