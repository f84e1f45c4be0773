/**
 * `npm run build:graphiql` (run by `npm run build`): bundles GraphiQL (graphiql@4, React 19, from
 * the dev dependencies) with `scripts/graphiql-entry.mjs` into a minified script and stylesheet,
 * each written precompressed next to itself, so the server only reads files at start and the page
 * loads nothing from a CDN:
 *
 *   dist/graphiql/graphiql.js(.br,.gz)    the script
 *   dist/graphiql/graphiql.css(.br,.gz)   the stylesheet
 *   dist/graphiql/graphiql.json           each file's representations: file, strong ETag, size
 *
 * Plain JavaScript, like `build-elements.mjs`, so it runs with node alone during an install.
 *
 *   node scripts/build-graphiql.mjs [--out dist/graphiql]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writePrecompressed } from './precompressed.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The file listing the representations. */
export const INDEX_FILE = 'graphiql.json';

/**
 * Bundles GraphiQL and writes `graphiql.js`, `graphiql.css`, their `.br` and `.gz`, and
 * `graphiql.json` to `outDir` (default the package's `dist/graphiql`).
 * @param {{ outDir?: string }} [options]
 */
export async function buildGraphiql({ outDir = path.join(ROOT, 'dist/graphiql') } = {}) {
  // esbuild is a dev dependency: only a build loads it.
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: { graphiql: path.join(ROOT, 'scripts/graphiql-entry.mjs') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    outdir: outDir,
    legalComments: 'none',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.woff2': 'dataurl', '.png': 'dataurl' },
  });
  /** @type {Record<string, Record<string, { file: string, etag: string, bytes: number }>>} */
  const index = {};
  for (const output of result.outputFiles) {
    const name = path.basename(output.path);
    if (!/^graphiql\.(js|css)$/.test(name)) continue;
    index[name] = writePrecompressed(outDir, name, Buffer.from(output.contents));
  }
  // Written last: a folder with an index is complete.
  fs.writeFileSync(path.join(outDir, INDEX_FILE), `${JSON.stringify(index, null, 2)}\n`);
  return index;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const outDir = values.out ? path.resolve(values.out) : path.join(ROOT, 'dist/graphiql');
  const index = await buildGraphiql({ outDir });
  for (const [name, encodings] of Object.entries(index)) {
    const sizes = Object.entries(encodings)
      .map(([encoding, { bytes }]) => `${encoding} ${(bytes / 1024).toFixed(1)} kB`)
      .join(', ');
    console.log(`wrote ${path.relative(process.cwd(), outDir) || '.'}/${name} (${sizes})`);
  }
}
