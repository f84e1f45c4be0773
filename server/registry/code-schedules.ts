/**
 * The `schedules` option of `registry.add`: its shape and cron/timezone are checked when the function
 * is registered, its inputs when the registry is bound to the manifest (server start), each problem
 * a `RegistryError` naming the function, the schedule and what is wrong.
 */
import { DEFAULT_SCHEDULE_TIMEZONE, scheduleSpecProblems } from '../../manifest/schedule-spec.js';
import { RegistryError, ValidationError } from '../errors.js';
import type { RegisteredFunction, ScheduleOption } from './function-options.js';

/** A schedule defined in code, as the server keeps it in step. */
export interface CodeSchedule {
  /** `<function name>.<n>`, n counting from 1 in the option's order. */
  id: string;
  cron: string;
  timezone: string;
  /** Validated, defaults applied. */
  input: Record<string, unknown>;
}

/** The id of the `index`th (0-based) schedule of `functionName`. */
export function codeScheduleId(functionName: string, index: number): string {
  return `${functionName}.${index + 1}`;
}

/** Throws a `RegistryError` unless `schedules` is an array of `{ cron, timezone?, input? }` with a valid cron and time zone. */
export function checkScheduleOptions(name: string, schedules: unknown): void {
  if (schedules === undefined) return;
  const fail = (message: string, details: Record<string, unknown> = {}): never => {
    throw new RegistryError(`${name}: option schedules ${message}`, {
      name,
      option: 'schedules',
      ...details,
    });
  };
  if (!Array.isArray(schedules)) fail('must be an array of { cron, timezone?, input? }');
  (schedules as unknown[]).forEach((entry, index) => {
    const at = `[${index}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
      fail(`${at} must be an object { cron, timezone?, input? }`, { index });
    const { cron, timezone, input } = entry as ScheduleOption;
    const problems = scheduleSpecProblems(cron, timezone ?? DEFAULT_SCHEDULE_TIMEZONE);
    if (problems.length) fail(`${at}: ${problems.map((p) => p.message).join('; ')}`, { index, problems });
    if (input !== undefined && (input === null || typeof input !== 'object' || Array.isArray(input)))
      fail(`${at}.input must be an object of the function's inputs`, { index });
  });
}

/**
 * The schedules of `registered` with ids and validated inputs.
 * @throws RegistryError when a schedule is given to a function run in the request (`addSync`), or
 * its inputs do not fit the function's parameters.
 */
export function codeSchedules(
  registered: RegisteredFunction,
  validateInput: (input: unknown) => Record<string, unknown>,
): CodeSchedule[] {
  const schedules = registered.options.schedules ?? [];
  const { name } = registered;
  if (schedules.length && registered.mode !== 'async') {
    throw new RegistryError(
      `${name}: option schedules needs a background function (registry.add, not addSync)`,
      { name, option: 'schedules' },
    );
  }
  return schedules.map((schedule, index) => {
    let input: Record<string, unknown>;
    try {
      input = validateInput(schedule.input ?? {});
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      throw new RegistryError(
        `${name}: the input of schedule ${codeScheduleId(name, index)} does not fit the parameters: ${err.message}`,
        { name, option: 'schedules', index, errors: err.details.errors },
      );
    }
    return {
      id: codeScheduleId(name, index),
      cron: schedule.cron,
      timezone: schedule.timezone ?? DEFAULT_SCHEDULE_TIMEZONE,
      input,
    };
  });
}
