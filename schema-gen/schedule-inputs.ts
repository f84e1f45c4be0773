/**
 * The inputs of the `schedules` option checked against the function's parameter schema at `turtle
 * schema` time, by the rules the server applies (`manifest/input-schema.ts`), so that a schedule
 * that would be refused at run time is refused at build time.
 */
import type ts from 'typescript';
import { compileInputSchema, inputErrorPath } from '../manifest/input-schema.js';
import type { ManifestFunction, ManifestSchedule } from '../manifest/manifest.js';
import type { StaticSchedule } from './registration-options.js';

/**
 * The schedules as the manifest records them; each one whose inputs do not fit `params` is reported
 * (`report`, naming the parameter paths) and left out.
 */
export function checkScheduleInputs(
  schedules: readonly StaticSchedule[],
  params: ManifestFunction['params'],
  report: (message: string, node: ts.Node) => void,
): ManifestSchedule[] {
  if (schedules.length === 0) return [];
  const validate = compileInputSchema(params);
  const fit: ManifestSchedule[] = [];
  for (const schedule of schedules) {
    if (validate(structuredClone(schedule.input))) {
      fit.push({ cron: schedule.cron, timezone: schedule.timezone, input: schedule.input });
      continue;
    }
    const problems = (validate.errors ?? []).map((e) => `${inputErrorPath(e)} ${e.message ?? 'is invalid'}`);
    report(
      `schedules[${schedule.index}].input does not fit the parameters: ${problems.join('; ')}`,
      schedule.node,
    );
  }
  return fit;
}
