/**
 * Benchmark: the first render of a 40-field `<turtle-form>` (text, numbers, enums, booleans, dates)
 * next to, in the same run and the same page, a hand-written Lit element rendering the same 40
 * labelled inputs — what a page author would write without turtle-shell. Each round inserts one
 * element and times insertion → its form rendered (after `updateComplete`) → forced layout; the
 * kinds alternate, medians of the rounds. `<turtle-form>` also fetches its function
 * (`GET /api/functions/intake`, answered by the in-process server on 127.0.0.1), which the
 * hand-written element, knowing its form at build time, does not; a third row is the hand-written
 * element fetching the same answer first, and one of `<turtle-form>` with the answer given in the
 * page, to show what the request costs. Target: ratio ≤ 2× to the hand-written element.
 *
 *   node --import tsx --conditions=turtle-source bench/elements/form-render.ts [rounds=15]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, quantile } from '../support/stats.js';
import { bundle, openBenchPage } from './support/browser-page.js';
import { FORM_FUNCTION, FORM_INFO } from './support/forty-fields.js';

const ROUNDS = Number(process.argv[2] ?? 15);
const WARM_UP = 3;
const HERE = path.dirname(fileURLToPath(import.meta.url));

const script = await bundle({ entry: { file: path.join(HERE, 'form-render.page.ts') } });
const bench = await openBenchPage({ script, json: { [`/api/functions/${FORM_FUNCTION}`]: FORM_INFO } });
try {
  const kinds = ['turtle-form', 'turtle-form-in-page', 'plain-form', 'fetching-plain-form'] as const;
  const times: Record<(typeof kinds)[number], number[]> = {
    'turtle-form': [],
    'turtle-form-in-page': [],
    'plain-form': [],
    'fetching-plain-form': [],
  };
  for (let i = 0; i < WARM_UP + ROUNDS; i++)
    for (const kind of i % 2 ? [...kinds].reverse() : kinds) {
      const ms = await bench.page.evaluate((k) => window.bench.round(k), kind);
      if (i >= WARM_UP) times[kind].push(ms);
    }
  const row = (label: string, xs: number[]) =>
    console.log(
      `${label.padEnd(44)}${median(xs).toFixed(2).padStart(9)} ms${quantile(xs, 0.1).toFixed(2).padStart(9)} ms${quantile(xs, 0.9).toFixed(2).padStart(9)} ms`,
    );
  console.log(
    `first render of a 40-field form, ${ROUNDS} rounds each (Chromium ${await bench.browser.version()})\n`,
  );
  console.log(`${''.padEnd(44)}${'median'.padStart(12)}${'p10'.padStart(12)}${'p90'.padStart(12)}`);
  row('<turtle-form> (fetches its function)', times['turtle-form']);
  row('<turtle-form>, its function answered in page', times['turtle-form-in-page']);
  row('hand-written Lit element (baseline)', times['plain-form']);
  row('hand-written, fetching the function first', times['fetching-plain-form']);
  const ratio = median(times['turtle-form']) / median(times['plain-form']);
  const fetching = median(times['turtle-form']) / median(times['fetching-plain-form']);
  console.log(
    `\nratio to the hand-written element: ${ratio.toFixed(2)}× (target ≤ 2×: ${ratio <= 2 ? 'met' : 'NOT met'})`,
  );
  console.log(`ratio to the hand-written element fetching the same answer: ${fetching.toFixed(2)}×`);
  const own = median(times['turtle-form-in-page']) / median(times['plain-form']);
  console.log(`ratio of <turtle-form> answered in the page to the hand-written element: ${own.toFixed(2)}×`);
} finally {
  await bench.close();
}
