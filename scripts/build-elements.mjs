/**
 * `npm run build:elements` (run by `npm run build`, and so by `prepare` on install): bundles the Lit
 * elements into one minified ES module, `/turtle/elements.js`, and writes it precompressed next to
 * itself, so the server only reads files at start and never loads esbuild:
 *
 *   dist/elements/elements.js      the module
 *   dist/elements/elements.js.br   brotli, best quality (paid once, here)
 *   dist/elements/elements.js.gz   gzip, level 9
 *   dist/elements/elements.json    each representation's file, strong ETag and size
 *
 * Plain JavaScript, so it runs with node alone during an install.
 *
 *   node scripts/build-elements.mjs [--entry elements/index.ts] [--out dist/elements]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writePrecompressed } from './precompressed.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The bundle's file name; the others are named after it. */
export const BUNDLE_FILE = 'elements.js';
/** The file listing the representations. */
export const INDEX_FILE = 'elements.json';

/**
 * esbuild's options for the bundle browsers get: one minified ES module, in memory. The element
 * benches bundle their pages with the same options, so they measure what the server sends.
 * @type {import('esbuild').BuildOptions & { write: false }}
 */
export const BROWSER_BUNDLE = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  write: false,
  legalComments: 'none',
  logLevel: 'silent',
  // Lit's decorators as the project compiles them.
  tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
};

/** @typedef {import('./precompressed.mjs').Representation} Representation One encoding of the bundle, as `elements.json` lists it. */

/**
 * Bundles `entry` and writes the module, its `.br` and `.gz`, and `elements.json` to `outDir`.
 * @param {{ entry?: string, outDir?: string }} [options] Defaults: the package's `elements/index.ts`, `dist/elements`.
 * @returns {Promise<Record<'identity' | 'br' | 'gzip', Representation>>} What `elements.json` holds.
 */
export async function buildElements({
  entry = path.join(ROOT, 'elements/index.ts'),
  outDir = path.join(ROOT, 'dist/elements'),
} = {}) {
  // esbuild is a dev dependency: only a build loads it.
  const esbuild = await import('esbuild');
  const result = await esbuild.build({ ...BROWSER_BUNDLE, entryPoints: [entry] });
  const index = writePrecompressed(outDir, BUNDLE_FILE, Buffer.from(result.outputFiles[0].contents));
  // Written last: a bundle folder with an index is complete.
  fs.writeFileSync(path.join(outDir, INDEX_FILE), `${JSON.stringify(index, null, 2)}\n`);
  return index;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { entry: { type: 'string' }, out: { type: 'string' } } });
  const outDir = values.out ? path.resolve(values.out) : undefined;
  const index = await buildElements({
    ...(values.entry && { entry: path.resolve(values.entry) }),
    ...(outDir && { outDir }),
  });
  const sizes = Object.entries(index)
    .map(([encoding, { bytes }]) => `${encoding} ${(bytes / 1024).toFixed(1)} kB`)
    .join(', ');
  console.log(
    `wrote ${path.relative(process.cwd(), outDir ?? path.join(ROOT, 'dist/elements')) || '.'}/${BUNDLE_FILE} (${sizes})`,
  );
}
