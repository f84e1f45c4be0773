/**
 * How long the elements take to render a result table of 1,000 records in real Chromium, next to a
 * baseline measured in the same run: the same rows as a plain `<table>` built by hand with DOM calls.
 * Each round renders from nothing (layout by the return schema, Lit templates, the elements' styles)
 * until layout is done. Reported: medians of the rounds, the ratio to the plain table, and ms per 100
 * rows (target: under one frame budget, 16 ms). Two ways of the element: every row shown ("Show all"),
 * and as a user first sees it (the first 50 rows and a count).
 *
 *   node --import tsx --conditions=turtle-source bench/elements/output-table.ts [rounds=15]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../support/stats.js';
import { bundle, openBenchPage } from './support/browser-page.js';
import type { BenchKind } from './output-table.page.js';
import { TABLE_ROWS as ROWS } from './support/sample-rows.js';

const ROUNDS = Number(process.argv[2] ?? 15);
const FRAME_MS = 16;
const KINDS = ['plain', 'all', 'paged'] as const;
const HERE = path.dirname(fileURLToPath(import.meta.url));

const script = await bundle({ entry: { file: path.join(HERE, 'output-table.page.ts') } });
const bench = await openBenchPage({ script, viewport: { width: 1280, height: 800 } });
try {
  const measure = (kind: BenchKind): Promise<number[]> =>
    bench.page.evaluate((k, n) => window.benchTable.run(k, n), kind, ROUNDS);
  // Warm-up: the JIT and the style engine, for both.
  for (const kind of KINDS) await measure(kind);
  // Interleaved, so that a busy machine weighs on both alike.
  const times: Record<BenchKind, number[]> = { plain: [], all: [], paged: [] };
  for (let i = 0; i < 3; i++) for (const kind of KINDS) times[kind].push(...(await measure(kind)));

  const perHundred = (ms: number) => `${(ms / (ROWS / 100)).toFixed(2)} ms/100 rows`;
  const plain = median(times.plain);
  console.log(
    `render + layout of ${ROWS} records × 5 columns, medians of ${times.plain.length} rounds (Chromium ${await bench.browser.version()})`,
  );
  console.log(
    `  ${'plain <table> by hand (baseline)'.padEnd(41)}${plain.toFixed(2).padStart(8)} ms   ${perHundred(plain)}`,
  );
  for (const [kind, label] of [
    ['all', 'output table, all rows shown'],
    ['paged', 'output table, first page (50) + count'],
  ] as const) {
    const m = median(times[kind]);
    const target =
      kind === 'all'
        ? `   ${m / (ROWS / 100) < FRAME_MS ? 'under' : 'OVER'} the ${FRAME_MS} ms/100 rows target`
        : '';
    console.log(
      `  ${label.padEnd(41)}${m.toFixed(2).padStart(8)} ms   ${perHundred(m)}   ratio ${(m / plain).toFixed(2)}${target}`,
    );
  }
} finally {
  await bench.close();
}
