/**
 * `/turtle/elements.js`: the Lit elements as one ES module, so a legacy page needs one script tag.
 *
 * Built by `npm run build` (`scripts/build-elements.mjs`, with esbuild, a dev dependency) into
 * `dist/elements/` with a brotli and a gzip copy; the server only reads those files, once, at start.
 * Each request gets the best encoding it accepts (br, then gzip, then none) with `Vary:
 * Accept-Encoding`, a strong ETag of that representation (each content coding is a representation of
 * its own, RFC 9110 §8.8.3) and `Cache-Control: no-cache`, so browsers revalidate and get 304 until
 * the bundle changes. Where it was not built (a source checkout before `npm run build`) the route
 * answers 404 `ElementsNotBuilt`, saying so, and start-up logs a warning.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { HttpError } from './http-errors.js';

/** The URL the bundle is served at. */
export const ELEMENTS_PATH = '/turtle/elements.js';

/** The content codings the bundle is stored in, best first. */
export const ELEMENTS_ENCODINGS = ['br', 'gzip', 'identity'] as const;

/** One of {@link ELEMENTS_ENCODINGS}. */
export type ElementsEncoding = (typeof ELEMENTS_ENCODINGS)[number];

/** One stored encoding of the bundle. */
export interface ElementsRepresentation {
  body: Buffer;
  /** Strong ETag of `body`. */
  etag: string;
}

/** The bundle in every encoding. */
export type ElementsBundle = Record<ElementsEncoding, ElementsRepresentation>;

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
  let index: Record<ElementsEncoding, { file: string; etag: string }>;
  try {
    index = JSON.parse(fs.readFileSync(path.join(dir, 'elements.json'), 'utf8')) as typeof index;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const read = (encoding: ElementsEncoding): ElementsRepresentation => ({
    body: fs.readFileSync(path.join(dir, index[encoding].file)),
    etag: index[encoding].etag,
  });
  return { br: read('br'), gzip: read('gzip'), identity: read('identity') };
}

/**
 * The best of {@link ELEMENTS_ENCODINGS} an `Accept-Encoding` header allows, by its q-values; on a tie
 * the smaller one. No header, or one refusing every encoding, gets `identity`.
 */
export function negotiateEncoding(acceptEncoding: string | undefined): ElementsEncoding {
  if (!acceptEncoding) return 'identity';
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [coding, ...params] = part.split(';').map((s) => s.trim());
    if (!coding) continue;
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(coding === 'x-gzip' ? 'gzip' : coding, Number.isFinite(weight) ? weight : 0);
  }
  // Identity is acceptable unless refused by name or by `*;q=0` (RFC 9110 §12.5.3).
  const weight = (coding: ElementsEncoding): number =>
    weights.get(coding) ?? weights.get('*') ?? (coding === 'identity' ? 1 : 0);
  let best: ElementsEncoding = 'identity';
  let bestWeight = 0;
  for (const coding of ELEMENTS_ENCODINGS) {
    if (weight(coding) > bestWeight) {
      best = coding;
      bestWeight = weight(coding);
    }
  }
  return best;
}

/** Options of {@link elementsBundleRoute}. */
export interface ElementsRouteOptions {
  /** The folder `npm run build` wrote the bundle to; default the package's `dist/elements/`. */
  dir?: string;
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
    const encoding = negotiateEncoding(ctx.get('Accept-Encoding'));
    const { body, etag } = bundle[encoding];
    ctx.vary('Accept-Encoding');
    ctx.set('ETag', etag);
    ctx.set('Cache-Control', 'no-cache');
    // A module script from another origin is fetched in CORS mode: let any page load it.
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
    ctx.type = 'text/javascript; charset=utf-8';
    const match = ctx.get('If-None-Match');
    // If-None-Match compares weakly (RFC 9110 §13.1.2): W/"x" matches "x".
    if (
      match &&
      match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*')
    ) {
      ctx.status = 304;
      return;
    }
    if (encoding !== 'identity') ctx.set('Content-Encoding', encoding);
    ctx.body = body;
  };
}
