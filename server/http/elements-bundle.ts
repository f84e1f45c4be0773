/**
 * `/turtle/elements.js`: the Lit elements as one ES module, so a legacy page needs one script tag.
 *
 * Built by `npm run build` (`scripts/build-elements.mjs`, with esbuild, a dev dependency) into
 * `dist/elements/` with a brotli and a gzip copy; the server only reads those files, once, at start,
 * and serves them as `precompressed.ts` says. Where it was not built (a source checkout before `npm run build`) the route
 * answers 404 `ElementsNotBuilt`, saying so, and start-up logs a warning.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { HttpError } from './http-errors.js';
import {
  readRepresentations,
  sendPrecompressed,
  type IndexEntry,
  type Representations,
} from './precompressed.js';

/** The URL the bundle is served at. */
export const ELEMENTS_PATH = '/turtle/elements.js';

/** The bundle in every encoding. */
export type ElementsBundle = Representations;

/** The bundle was not built, so there is nothing to serve (404). */
export class ElementsNotBuilt extends HttpError {
  constructor(dir: string) {
    super(
      'ElementsNotBuilt',
      'The elements bundle was not built: run `npm run build` (it writes dist/elements/)',
      { dir },
    );
  }
}

/** The package's `dist/elements/`, found from source (`server/http/`) or from `dist/server/http/`. */
export function defaultElementsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5 && !fs.existsSync(path.join(dir, 'package.json')); i++) dir = path.dirname(dir);
  return path.join(dir, 'dist', 'elements');
}

/**
 * Reads the bundle `scripts/build-elements.mjs` wrote to `dir`; undefined when `dir` has no
 * `elements.json` (not built). A folder with an index but a missing file is a broken build and throws.
 */
export function readElementsBundle(dir: string): ElementsBundle | undefined {
  let index: IndexEntry;
  try {
    index = JSON.parse(fs.readFileSync(path.join(dir, 'elements.json'), 'utf8')) as IndexEntry;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return readRepresentations(dir, index);
}

/** Options of {@link elementsBundleRoute}. */
export interface ElementsRouteOptions {
  /** The folder `npm run build` wrote the bundle to; default the package's `dist/elements/`. */
  dir?: string | undefined;
  /** Told, at start, when the bundle is not built. */
  logger?: Logger;
}

/** Serves the bundle (GET/HEAD), read from disk now, at start. */
export function elementsBundleRoute(options: ElementsRouteOptions = {}): Middleware {
  const dir = options.dir ?? defaultElementsDir();
  const bundle = readElementsBundle(dir);
  if (!bundle)
    options.logger?.warn(
      { dir },
      `${ELEMENTS_PATH} is not built: run \`npm run build\`; until then it answers 404`,
    );
  return function serveElements(ctx) {
    if (!bundle) throw new ElementsNotBuilt(dir);
    // A module script from another origin is fetched in CORS mode: let any page load it.
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
    sendPrecompressed(ctx, bundle, 'text/javascript; charset=utf-8');
  };
}
