/**
 * `staticDir`: a folder served at `/` (e.g. a page embedding the elements), for what no route
 * answered. Only GET/HEAD, no dotfiles, `index.html` for folders, nothing outside the folder
 * (koa-send refuses it). A file it serves is a document and gets the document security headers.
 *
 * The folder is public: it holds no data of the API, and auth is not decided here (the API's
 * router carries it). It never answers under `/api` or `/graphql`, in any letter case or
 * percent-encoding, so a mistyped API path is a JSON 404 rather than a page, and a folder that
 * happens to contain `api/` cannot look like the API.
 */
import type { Middleware } from 'koa';
import serveStatic from 'koa-static';
import { setDocumentHeaders } from './security-headers.js';

/** Serves `dir` at `/`. */
export function staticFiles(dir: string): Middleware {
  const serve = serveStatic(dir, { index: 'index.html', hidden: false, defer: false });
  return async function serveStaticFile(ctx, next) {
    if (inApiNamespace(ctx.path)) {
      await next();
      return;
    }
    let passedOn = false;
    await serve(ctx, async () => {
      passedOn = true;
      await next();
    });
    if (!passedOn) setDocumentHeaders(ctx);
  };
}

/** `/api`, `/API/x`, `//%61pi/x`, `//graphql/`…: the path as koa-send would read it, compared without case. */
function inApiNamespace(path: string): boolean {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // koa-send refuses a malformed path itself.
  }
  return /^[/\\]*(?:api|graphql)(?:[/\\]|$)/i.test(decoded);
}
