/**
 * How long the elements' pure layout takes for a big result, next to a baseline measured in the same
 * run: `describeOutput` (the table/record layout `<turtle-execution>` renders), by the value's shape
 * and by a declared return type, against `JSON.parse(JSON.stringify(...))` of the same value, which
 * is the least any client does with it; and a 200-field form's schema → fields → inputs. Rendering in
 * a browser: `bench/elements/output-table.ts`.
 *
 * Run: `node --import tsx --conditions=turtle-source bench/elements/pure-layout.ts`
 */
import { describeOutput } from '../../elements/internal/output-view.js';
import { collectInputs, initialRawValues } from '../../elements/internal/form-values.js';
import { fieldsFromSchema } from '../../elements/internal/schema-fields.js';
import type { Schema } from '../../manifest/manifest.js';
import { median } from '../support/stats.js';
import { SAMPLE_RETURNS, sampleRows } from './support/sample-rows.js';

const ROUNDS = 15;

function measure(run: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return median(times);
}

function report(name: string, subject: () => unknown, baseline: () => unknown): void {
  measure(subject);
  measure(baseline); // warm-up
  const s = measure(subject);
  const b = measure(baseline);
  console.log(
    `${name.padEnd(44)} median ${s.toFixed(2).padStart(8)} ms   baseline ${b.toFixed(2).padStart(8)} ms   ratio ${(s / b).toFixed(2)}`,
  );
}

const rows = Array.from({ length: 10_000 }, (_, i) => ({
  sampleId: `CL-${i}`,
  researchId: `R${i.toString(16).toUpperCase()}`,
  lane: i % 4,
  ok: i % 7 !== 0,
  note: i % 3 ? null : 'rerun',
}));
report(
  'describeOutput: 10 000 rows × 5 columns',
  () => describeOutput(rows),
  () => JSON.parse(JSON.stringify(rows)),
);

// By a declared return type: titles, an enum's labels, dates in the user's locale, links.
const samples = sampleRows(10_000);
report(
  'describeOutput by returns: 10 000 rows × 5',
  () => describeOutput(samples, SAMPLE_RETURNS),
  () => JSON.parse(JSON.stringify(samples)),
);

const params = {
  type: 'object',
  properties: Object.fromEntries(
    Array.from({ length: 200 }, (_, i) => [
      `field${i}`,
      i % 4 === 0
        ? { type: 'integer', minimum: 0, maximum: 1000 }
        : i % 4 === 1
          ? { type: 'string', pattern: '^[A-Z]+-\\d+$' }
          : i % 4 === 2
            ? { type: 'array', items: { type: 'string' } }
            : { type: 'boolean' },
    ]),
  ),
  required: ['field0'],
} as unknown as Schema;
const fields = fieldsFromSchema(params);
const raw = initialRawValues(fields);
fields.forEach((f, i) => {
  raw[f.path] = i % 4 === 0 ? '42' : i % 4 === 1 ? 'AB-1' : i % 4 === 2 ? 'a\nb\nc' : 'true';
});
report(
  'schema → fields → inputs: 200 fields',
  () => collectInputs(fieldsFromSchema(params), raw),
  () => JSON.parse(JSON.stringify(params)),
);
