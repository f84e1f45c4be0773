/**
 * The inputs of the `schedules` option checked against the function's parameter schema at `turtle
 * schema` time, with the same rules the server applies at start (ajv, no coercion, no unknown
 * parameters), so that a schedule that would be refused at run time is refused at build time.
 */
import type ts from 'typescript';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { SchemaKeyword, type ManifestFunction, type ManifestSchedule } from '../manifest/manifest.js';
import type { StaticSchedule } from './registration-options.js';

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

let shared: Ajv | undefined;

function ajv(): Ajv {
  if (!shared) {
    shared = new Ajv({ allErrors: true, coerceTypes: false, strict: false });
    addFormats(shared);
    for (const keyword of Object.values(SchemaKeyword))
      shared.addKeyword({ keyword, schemaType: ['string', 'array'] });
  }
  return shared;
}

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
  const validate: ValidateFunction = ajv().compile({
    ...params,
    additionalProperties: params.additionalProperties ?? false,
  });
  const fit: ManifestSchedule[] = [];
  for (const schedule of schedules) {
    if (validate(structuredClone(schedule.input))) {
      fit.push({ cron: schedule.cron, timezone: schedule.timezone, input: schedule.input });
      continue;
    }
    const problems = (validate.errors ?? []).map((e) => {
      const path =
        e.keyword === 'required'
          ? `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`
          : e.keyword === 'additionalProperties'
            ? `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}`
            : e.instancePath;
      return `${path} ${e.message ?? 'is invalid'}`;
    });
    report(
      `schedules[${schedule.index}].input does not fit the parameters: ${problems.join('; ')}`,
      schedule.node,
    );
  }
  return fit;
}
