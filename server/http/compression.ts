/**
 * Compression of JSON answers (`koa-compress`): br or gzip, as the client accepts, above
 * {@link COMPRESS_THRESHOLD} bytes. Nothing else is touched: event streams (`text/event-stream`) must
 * reach the client as written, never buffered by a compressor, and the elements bundle comes
 * precompressed (its `Content-Encoding` makes koa-compress leave it alone).
 */
import zlib from 'node:zlib';
import compress from 'koa-compress';
import type { Middleware } from 'koa';

/** JSON answers smaller than this many bytes are sent as they are: compressing them saves next to nothing. */
export const COMPRESS_THRESHOLD = 1024;

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json$/i;

/** The middleware; mount it outside the routes so every JSON answer passes it, error answers included. */
export function compressJson(): Middleware {
  const compressor = compress({
    filter: (type) => JSON_TYPE.test(type),
    threshold: COMPRESS_THRESHOLD,
    // Quality 4: most of brotli's gain for a fraction of its CPU, as fits an answer made per request.
    br: {
      params: {
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_QUALITY]: 4,
      },
    },
    gzip: {},
    deflate: false,
  });
  return async (ctx, next) => {
    await compressor(ctx, async () => {
      await next();
      // Serialized once, here: koa-compress needs the size, and Koa would stringify an object again to send it.
      if (isPlainJson(ctx.body) && JSON_TYPE.test(ctx.response.type)) ctx.body = JSON.stringify(ctx.body);
    });
  };
}

function isPlainJson(body: unknown): boolean {
  if (body === null || typeof body !== 'object') return false;
  if (Array.isArray(body)) return true;
  const proto: unknown = Object.getPrototypeOf(body);
  return proto === Object.prototype || proto === null;
}
