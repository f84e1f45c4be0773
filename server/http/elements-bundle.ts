/**
 * `/turtle/elements.js`: the Lit elements as one ES module, so a legacy page needs one script tag.
 * Bundled with esbuild (a dependency; tsx uses it too) the first time it is asked for and kept
 * for the life of the process; served with a strong ETag (SHA-256 of the content) and
 * `Cache-Control: no-cache`, so browsers revalidate and get 304 until the server changes.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Middleware } from 'koa';

/** The URL the bundle is served at. */
export const ELEMENTS_PATH = '/turtle/elements.js';

/** A built bundle. */
export interface ElementsBundle {
  code: string;
  etag: string;
}

/** The package's `elements/index.ts`, found from source (`server/http/`) or from `dist/server/http/`. */
export function defaultElementsEntry(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'elements', 'index.ts');
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../elements/index.ts');
}

/** Bundles `entry` into one minified ES module. */
export async function buildElementsBundle(entry: string): Promise<ElementsBundle> {
  // Imported lazily: only a server that is asked for the bundle pays for loading esbuild.
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
    // Lit's decorators as the project compiles them, also where no tsconfig.json ships (an installed package).
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
  });
  const code = result.outputFiles[0]!.text;
  const etag = `"${createHash('sha256').update(code).digest('base64url')}"`;
  return { code, etag };
}

/** Serves the bundle (GET/HEAD), building it once; a failed build is retried on the next request. */
export function elementsBundleRoute(entry: string = defaultElementsEntry()): Middleware {
  let bundle: Promise<ElementsBundle> | undefined;
  return async function serveElements(ctx) {
    bundle ??= buildElementsBundle(entry).catch((err: unknown) => {
      bundle = undefined;
      throw err;
    });
    const { code, etag } = await bundle;
    ctx.set('ETag', etag);
    ctx.set('Cache-Control', 'no-cache');
    // A module script from another origin is fetched in CORS mode: let any page load it.
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
    ctx.type = 'text/javascript; charset=utf-8';
    const match = ctx.get('If-None-Match');
    if (match && match.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) {
      ctx.status = 304;
      return;
    }
    ctx.body = code;
  };
}
