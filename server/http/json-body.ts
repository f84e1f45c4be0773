/**
 * JSON request bodies for the routes that take one: content type checked (415), content coding undone
 * (gzip, deflate, br; else 415 with `Accept-Encoding`), size limited before and after decoding (413),
 * UTF-8 required, then parsed exactly (`exact-json.ts`: 400 `InvalidJson` for syntax, scalars at the
 * top and `__proto__` keys; `BodyTooDeep` past the depth; `ValidationError` for numbers JavaScript
 * cannot hold as written and lone surrogates).
 */
import type { Context, Middleware } from 'koa';
import { parseExactJson } from './exact-json.js';
import { InvalidJson, UnsupportedMediaType } from './http-errors.js';
import { readRequestBody } from './request-body.js';

declare module 'koa' {
  interface Request {
    /** The parsed JSON body, set by {@link jsonBody}. */
    body?: unknown;
  }
}

/** Options of {@link jsonBody}. */
export interface JsonBodyOptions {
  /** Largest accepted body in bytes, on the wire and decoded; default 1 MB. */
  limit?: number;
  /** Deepest accepted nesting of arrays/objects; default 64. */
  maxDepth?: number;
}

// RFC 8259 §8.1: JSON is UTF-8 (a `charset` parameter has no effect); a byte-order mark may be ignored.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Whether the request says it has a body (chunked, or a non-zero `Content-Length`). */
export function hasRequestBody(ctx: Context): boolean {
  const length = ctx.get('Content-Length');
  return ctx.get('Transfer-Encoding') !== '' || (length !== '' && length !== '0');
}

/** The request body as text: decoded and limited as `readRequestBody` does, and UTF-8 (else `InvalidJson`). */
export async function readJsonText(ctx: Context, limit: number): Promise<string> {
  const bytes = await readRequestBody(ctx.req, limit);
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new InvalidJson('The request body is not UTF-8', { encoding: 'utf-8' });
  }
}

/** Parses `ctx.request.body` as JSON; an empty body is `{}`. */
export function jsonBody(options: JsonBodyOptions = {}): Middleware {
  const maxDepth = options.maxDepth ?? 64;
  const limit = options.limit ?? 1024 * 1024;
  return async function parseJsonBody(ctx, next) {
    if (!hasRequestBody(ctx)) {
      ctx.request.body = {};
      await next();
      return;
    }
    if (!ctx.is('application/json')) throw new UnsupportedMediaType(ctx.get('Content-Type') || '(none)');
    const text = await readJsonText(ctx, limit);
    ctx.request.body = text === '' ? {} : parseExactJson(text, maxDepth);
    await next();
  };
}
