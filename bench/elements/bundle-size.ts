/**
 * Benchmark: the elements bundle as the server sends it (`/turtle/elements.js`, minified, gzip level 9,
 * built now by `scripts/build-elements.mjs` into a temporary folder) against the target of 30 KB gz,
 * next to the same-run baseline every Lit element pays: `lit` alone, bundled, minified and gzipped the
 * same way by esbuild.
 *
 *   node --import tsx --conditions=turtle-source bench/elements/bundle-size.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { BROWSER_BUNDLE, buildElements } from '../../scripts/build-elements.mjs';
import { bundle } from './support/browser-page.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Issue 13's budget for the bundle, gzipped. */
const TARGET_GZ = 30 * 1024;

const gzip = (code: string | Buffer): number =>
  zlib.gzipSync(code, { level: zlib.constants.Z_BEST_COMPRESSION }).length;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

/** Minified bytes of the elements bundle by origin: each package, and each folder of `elements/`. */
async function bytesByOrigin(): Promise<Array<[string, number]>> {
  const esbuild = await import('esbuild');
  const { metafile } = await esbuild.build({
    ...BROWSER_BUNDLE,
    entryPoints: [path.join(ROOT, 'elements/index.ts')],
    metafile: true,
  });
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs))
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
      const origin =
        pkg ??
        input
          .split('/')
          .slice(0, input.startsWith('elements/') ? 2 : 1)
          .join('/');
      totals.set(origin, (totals.get(origin) ?? 0) + bytesInOutput);
    }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'turtle-bench-elements-'));
try {
  const index = await buildElements({ outDir });
  const elements = { min: index.identity.bytes, gz: index.gzip.bytes, br: index.br.bytes };
  // Everything `lit` exports, so that nothing is shaken out: what a page pays for Lit at all.
  const lit = await bundle({ entry: { code: "export * from 'lit';", resolveDir: ROOT } });
  const baseline = { min: Buffer.byteLength(lit), gz: gzip(lit) };

  const rows: Array<[string, string, string, string]> = [
    ['', 'minified', 'min+gzip', 'min+brotli'],
    ['turtle-shell elements (all 5)', kb(elements.min), kb(elements.gz), kb(elements.br)],
    ['lit alone (baseline)', kb(baseline.min), kb(baseline.gz), ''],
    ['elements beyond lit', kb(elements.min - baseline.min), kb(elements.gz - baseline.gz), ''],
  ];
  for (const [label, ...cells] of rows)
    console.log(`${label.padEnd(32)}${cells.map((c) => c.padStart(12)).join('')}`);
  console.log(
    `\nmin+gzip: ${kb(elements.gz)} of the ${kb(TARGET_GZ)} target (${((elements.gz / TARGET_GZ) * 100).toFixed(0)}%, ` +
      `${elements.gz <= TARGET_GZ ? 'within' : 'OVER'}); ratio to lit alone ${(elements.gz / baseline.gz).toFixed(2)}×`,
  );
  console.log('\nwhere the minified bytes come from (before compression):');
  for (const [origin, bytes] of await bytesByOrigin())
    console.log(`  ${origin.padEnd(40)}${kb(bytes).padStart(10)}`);
} finally {
  fs.rmSync(outDir, { recursive: true, force: true });
}
