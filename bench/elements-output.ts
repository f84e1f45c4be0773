/**
 * How long the elements' pure layout takes for a big result, next to a baseline measured in the same
 * run: `describeOutput` (the table/record layout `<turtle-execution>` renders), by the value's shape
 * and by a declared return type, against `JSON.parse(JSON.stringify(...))` of the same value, which
 * is the least any client does with it. Rendering in a browser: `bench/elements-table.ts`.
 *
 * Run: `node --import tsx --conditions=turtle-source bench/elements-output.ts`
 */
import { describeOutput } from '../elements/internal/output-view.js';
import { collectInputs, initialRawValues } from '../elements/internal/form-values.js';
import { fieldsFromSchema } from '../elements/internal/schema-fields.js';
import type { Schema } from '../manifest/manifest.js';

const ROUNDS = 15;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

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
const STATES = ['queued', 'sequenced', 'failed'];
const samples = Array.from({ length: 10_000 }, (_, i) => ({
  sampleId: `S-${i + 1}`,
  reads: ((i * 7919) % 1000) + 0.5,
  state: STATES[i % 3],
  sequencedAt: new Date(Date.UTC(2026, 0, 1 + (i % 28), 12, 30)).toISOString(),
  dataUrl: `https://data.example.org/samples/S-${i + 1}`,
}));
const returns = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      sampleId: { type: 'string', title: 'Sample' },
      reads: { type: 'number', description: 'In millions.' },
      state: { type: 'string', enum: STATES, 'x-turtle-enum-labels': ['Queued', 'Sequenced', 'Failed'] },
      sequencedAt: { type: 'string', format: 'date-time' },
      dataUrl: { type: 'string', format: 'uri' },
    },
  },
} as unknown as Schema;
report(
  'describeOutput by returns: 10 000 rows × 5',
  () => describeOutput(samples, returns),
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
