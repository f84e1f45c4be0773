/**
 * Schedules as answers: their inputs' secrets masked like an execution's (see
 * `execution-presenter.ts`), times as ISO strings.
 */
import type { Manifest } from '../../manifest/manifest.js';
import { REDACTED } from '../../api/execution.js';
import type { Schedule } from '../../api/schedule.js';
import type { ScheduleInfo } from '../scheduler/schedules-service.js';
import { maskSecrets } from './secret-inputs.js';

/** `schedule` as it may be answered for the functions of the bound `manifest`. */
export function presentSchedule(manifest: Manifest, schedule: ScheduleInfo): Schedule {
  const fn = Object.hasOwn(manifest.functions, schedule.functionName)
    ? manifest.functions[schedule.functionName]
    : undefined;
  // A function no longer registered: its schema is unknown, so no input can be shown as safe.
  const { input, redacted } = fn
    ? maskSecrets(fn.params, schedule.input)
    : {
        input: Object.fromEntries(Object.keys(schedule.input).map((key) => [key, REDACTED])),
        redacted: Object.keys(schedule.input).map(
          (key) => `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        ),
      };
  return {
    id: schedule.id,
    functionName: schedule.functionName,
    cron: schedule.cron,
    timezone: schedule.timezone,
    input,
    redactedInputs: redacted,
    source: schedule.source,
    paused: schedule.paused,
    nextRunAt: schedule.nextRunAt?.toISOString() ?? null,
    lastRunAt: schedule.lastRunAt?.toISOString() ?? null,
  };
}
