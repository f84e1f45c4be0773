/**
 * How long the elements take to render a result table of 1,000 records in real Chromium, next to a
 * baseline measured in the same run: the same rows as a plain `<table>` built by hand with DOM calls.
 * Each round renders from nothing (layout by the return schema, Lit templates, the elements' styles)
 * until layout is done. Reported: medians of the rounds, the ratio to the plain table, and ms per 100
 * rows (target: under one frame budget, 16 ms). Two ways of the element: every row shown ("Show all"),
 * and as a user first sees it (the first 50 rows and a count).
 *
 * Run: `node --import tsx --conditions=turtle-source bench/elements-table.ts [rounds=15]`
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../scripts/chromium.mjs';
import { median } from './support/stats.js';
import type { BenchKind } from './support/elements-table-page.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.argv[2] ?? 15);
const FRAME_MS = 16;

const esbuild = await import('esbuild');
const bundle = await esbuild.build({
  entryPoints: [path.join(ROOT, 'bench/support/elements-table-page.ts')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  write: false,
  logLevel: 'silent',
  // As scripts/build-elements.mjs bundles the elements.
  tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
});

const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  await page.setContent('<!doctype html><html lang="en"><body></body></html>');
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text, type: 'module' });
  await page.waitForFunction(() => 'benchTable' in globalThis);
  const rows = await page.evaluate(
    () => (globalThis as unknown as { benchTable: { rows: number } }).benchTable.rows,
  );

  const measure = (kind: BenchKind): Promise<number[]> =>
    page.evaluate(
      (k, n) =>
        (
          globalThis as unknown as {
            benchTable: { run: (kind: string, rounds: number) => Promise<number[]> };
          }
        ).benchTable.run(k, n),
      kind,
      ROUNDS,
    );
  // Warm-up: the JIT and the style engine, for both.
  for (const kind of ['plain', 'all', 'paged'] as const) await measure(kind);
  // Interleaved, so that a busy machine weighs on both alike.
  const times: Record<BenchKind, number[]> = { plain: [], all: [], paged: [] };
  for (let i = 0; i < 3; i++)
    for (const kind of ['plain', 'all', 'paged'] as const) times[kind].push(...(await measure(kind)));

  const plain = median(times.plain);
  console.log(
    `render + layout of ${rows} records × 5 columns, medians of ${times.plain.length} rounds (Chromium)`,
  );
  console.log(
    `  plain <table> by hand (baseline)          ${plain.toFixed(2).padStart(8)} ms   ${(plain / (rows / 100)).toFixed(2)} ms/100 rows`,
  );
  for (const [kind, label] of [
    ['all', 'output table, all rows shown'],
    ['paged', 'output table, first page (50) + count'],
  ] as const) {
    const m = median(times[kind]);
    const per100 = m / (rows / 100);
    console.log(
      `  ${label.padEnd(41)}${m.toFixed(2).padStart(8)} ms   ${per100.toFixed(2)} ms/100 rows   ratio ${(m / plain).toFixed(2)}${kind === 'all' ? `   ${per100 < FRAME_MS ? 'under' : 'OVER'} the ${FRAME_MS} ms/100 rows target` : ''}`,
    );
  }
} finally {
  await browser.close();
}
