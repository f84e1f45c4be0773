/**
 * GraphiQL, served by the server itself: `GET /graphql` asked for by a browser (`Accept: text/html`)
 * answers a small page that loads `/turtle/graphiql.js` and `/turtle/graphiql.css`, the bundle
 * `npm run build` made from the installed graphiql, React and react-dom (`scripts/build-graphiql.mjs`);
 * nothing comes from a CDN. The files are read once, at start, and served like the elements bundle
 * (precompressed, strong ETags, `no-cache`). Not built: the page and files answer 404
 * `GraphiQLNotBuilt` and start-up logs a warning. Public, like the elements bundle: it holds no
 * data; the requests GraphiQL makes carry the headers typed into its headers editor.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import { defaultElementsDir } from '../http/elements-bundle.js';
import {
  readRepresentations,
  sendPrecompressed,
  type IndexEntry,
  type Representations,
} from '../http/precompressed.js';
import { HttpError } from '../http/http-errors.js';
import { setDocumentHeaders } from '../http/security-headers.js';

/** The URLs of the bundle's files. */
export const GRAPHIQL_ASSETS = {
  'graphiql.js': '/turtle/graphiql.js',
  'graphiql.css': '/turtle/graphiql.css',
} as const;

type AssetName = keyof typeof GRAPHIQL_ASSETS;

/** GraphiQL was not built, so there is nothing to serve (404). */
export class GraphiQLNotBuilt extends HttpError {
  constructor(dir: string) {
    super('GraphiQLNotBuilt', 'GraphiQL was not built: run `npm run build` (it writes dist/graphiql/)', {
      dir,
    });
  }
}

/** The package's `dist/graphiql/`. */
export function defaultGraphiqlDir(): string {
  return path.join(path.dirname(defaultElementsDir()), 'graphiql');
}

/**
 * The page's CSP: its own scripts and styles only (CodeMirror sets inline styles, which cannot run
 * code), fonts and icons from `data:` (they are inlined in the stylesheet), requests to this origin.
 */
export const GRAPHIQL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>turtle-shell GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${GRAPHIQL_ASSETS['graphiql.css']}">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql" data-endpoint="/graphql">Loading GraphiQL…</div>
<script type="module" src="${GRAPHIQL_ASSETS['graphiql.js']}"></script>
</body>
</html>
`;

function readBundle(dir: string): Record<AssetName, Representations> | undefined {
  let index: Record<AssetName, IndexEntry>;
  try {
    index = JSON.parse(fs.readFileSync(path.join(dir, 'graphiql.json'), 'utf8')) as typeof index;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const read = (name: AssetName): Representations => readRepresentations(dir, index[name]);
  return { 'graphiql.js': read('graphiql.js'), 'graphiql.css': read('graphiql.css') };
}

/** The page and its files. */
export interface GraphiqlRoutes {
  /** `GET /graphql`: the page when the client prefers HTML, else on to the GraphQL handler. */
  page: Middleware;
  /** `GET /turtle/graphiql.js` and `.css`. */
  asset(name: AssetName): Middleware;
}

/** Reads the bundle in `dir` (default the package's `dist/graphiql/`) now, at start. */
export function graphiqlRoutes(options: { dir?: string; logger?: Logger } = {}): GraphiqlRoutes {
  const dir = options.dir ?? defaultGraphiqlDir();
  const bundle = readBundle(dir);
  if (!bundle)
    options.logger?.warn(
      { dir },
      'GraphiQL is not built: run `npm run build`; until then /graphql serves no page',
    );
  return {
    async page(ctx, next) {
      // A browser's navigation prefers HTML; a GraphQL client asks for JSON (or anything). Either
      // answer depends on Accept, so a cache must not hand one to the other.
      ctx.vary('Accept');
      if (ctx.accepts('application/graphql-response+json', 'application/json', 'text/html') !== 'text/html') {
        await next();
        return;
      }
      if (!bundle) throw new GraphiQLNotBuilt(dir);
      setDocumentHeaders(ctx);
      ctx.set('Content-Security-Policy', GRAPHIQL_CSP);
      ctx.set('X-Frame-Options', 'DENY');
      ctx.set('Cache-Control', 'no-cache');
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = PAGE;
    },
    asset: (name) =>
      function serveGraphiqlAsset(ctx: Context): void {
        if (!bundle) throw new GraphiQLNotBuilt(dir);
        sendPrecompressed(
          ctx,
          bundle[name],
          name.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
        );
      },
  };
}
