/**
 * What the bench/elements scripts share: page code bundled by esbuild as the elements bundle is
 * (minified, production Lit, Lit's decorators as the project compiles them), and served from a tiny
 * in-process HTTP server to Debian's Chromium (`launchChromium()`, nothing downloaded).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'puppeteer-core';
import { launchChromium } from '../../../scripts/chromium.mjs';
import { BROWSER_BUNDLE } from '../../../scripts/build-elements.mjs';

/** Options of {@link bundle}. */
export interface BundleOptions {
  /** A file to bundle, or the module's code (resolved from `resolveDir`). */
  entry: { file: string } | { code: string; resolveDir: string };
  /** Default true, as `scripts/build-elements.mjs` builds the bundle the server sends. */
  minify?: boolean;
}

/** Bundles `entry` into one ES module for the browser, as the elements bundle is built. */
export async function bundle({ entry, minify = true }: BundleOptions): Promise<string> {
  // esbuild is a dev dependency: the benches load it, the server never does.
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    ...BROWSER_BUNDLE,
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.code, resolveDir: entry.resolveDir, loader: 'ts' as const } }),
    minify,
  });
  return result.outputFiles[0]!.text;
}

/** A page in headless Chromium running a bundled script; {@link BenchPage.close} ends it all. */
export interface BenchPage {
  browser: Browser;
  page: Page;
  /** The page's address on the in-process server. */
  url: string;
  close(): Promise<void>;
}

/** Options of {@link openBenchPage}. */
export interface BenchPageOptions {
  /** The page's module (from {@link bundle}), loaded by `<script type="module">`. */
  script: string;
  /** Extra routes answered with JSON, by path (e.g. an API answer the page's elements fetch). */
  json?: Record<string, unknown>;
  /** Viewport; default 1000×700 at device scale 1. */
  viewport?: { width: number; height: number };
}

/**
 * Serves `script` in a blank page on 127.0.0.1 (a free port), opens it in Chromium and resolves
 * once the module ran (it sets `window.benchReady = true` when its set-up is done); rejects with
 * the page's error when the module throws.
 */
export async function openBenchPage(options: BenchPageOptions): Promise<BenchPage> {
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>' +
    '<script type="module" src="/page.js"></script></head><body></body></html>';
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const json = options.json?.[path];
    if (path === '/') send(res, 'text/html; charset=utf-8', html);
    else if (path === '/page.js') send(res, 'text/javascript; charset=utf-8', options.script);
    else if (json !== undefined) send(res, 'application/json', JSON.stringify(json));
    else send(res, 'text/plain', 'not found', 404);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const closeServer = () => new Promise<void>((resolve) => server.close(() => resolve()));
  let browser: Browser | undefined;
  try {
    browser = await launchChromium({
      defaultViewport: { deviceScaleFactor: 1, ...(options.viewport ?? { width: 1000, height: 700 }) },
    });
    const page = await browser.newPage();
    // A module that throws never sets benchReady: its error ends the wait instead.
    const failed = new Promise<never>((_, reject) =>
      page.once('pageerror', (error) => reject(new Error(`the bench page failed: ${String(error)}`))),
    );
    await page.goto(url);
    await Promise.race([page.waitForFunction('window.benchReady === true', { timeout: 30_000 }), failed]);
    const opened = browser;
    return {
      browser: opened,
      page,
      url,
      async close() {
        await opened.close();
        await closeServer();
      },
    };
  } catch (error) {
    await browser?.close();
    await closeServer();
    throw error;
  }
}

function send(res: http.ServerResponse, type: string, body: string, status = 200): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
