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
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The bundle's file name; the others are named after it. */
export const BUNDLE_FILE = 'elements.js';
/** The file listing the representations. */
export const INDEX_FILE = 'elements.json';

/**
 * @typedef {object} Representation One encoding of the bundle, as `elements.json` lists it.
 * @property {string} file The file name, in the same folder.
 * @property {string} etag A strong ETag: the SHA-256 of the file's bytes, so each encoding has its own.
 * @property {number} bytes The file's size.
 */

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
  const result = await esbuild.build({
    entryPoints: [entry],
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
  });
  const code = Buffer.from(result.outputFiles[0].contents);
  const encodings = {
    identity: code,
    br: zlib.brotliCompressSync(code, {
      params: {
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: code.length,
      },
    }),
    gzip: zlib.gzipSync(code, { level: zlib.constants.Z_BEST_COMPRESSION }),
  };
  const suffix = { identity: '', br: '.br', gzip: '.gz' };
  fs.mkdirSync(outDir, { recursive: true });
  /** @type {Record<string, Representation>} */
  const index = {};
  for (const [encoding, bytes] of Object.entries(encodings)) {
    const file = BUNDLE_FILE + suffix[encoding];
    fs.writeFileSync(path.join(outDir, file), bytes);
    index[encoding] = {
      file,
      etag: `"${createHash('sha256').update(bytes).digest('base64url')}"`,
      bytes: bytes.length,
    };
  }
  // Written last: a bundle folder with an index is complete.
  fs.writeFileSync(path.join(outDir, INDEX_FILE), `${JSON.stringify(index, null, 2)}\n`);
  return /** @type {Record<'identity' | 'br' | 'gzip', Representation>} */ (index);
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
