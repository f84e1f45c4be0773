/**
 * JSON request bodies for the routes that take one: content type checked (415), size limited (413),
 * parsed strictly (400 `InvalidJson`; objects and arrays only, `__proto__` keys refused) and nesting
 * depth bounded (400 `BodyTooDeep`) so that no later recursive walk can overflow the stack.
 */
import type { Middleware } from 'koa';
import bodyParser from 'koa-bodyparser';
import { BodyTooDeep, UnsupportedMediaType } from './http-errors.js';

/** Options of {@link jsonBody}. */
export interface JsonBodyOptions {
  /** Largest accepted body in bytes; default 1 MB. */
  limit?: number;
  /** Deepest accepted nesting of arrays/objects; default 64. */
  maxDepth?: number;
}

/** Parses `ctx.request.body` as JSON; an empty body is `{}`. */
export function jsonBody(options: JsonBodyOptions = {}): Middleware {
  const maxDepth = options.maxDepth ?? 64;
  const parse = bodyParser({ enableTypes: ['json'], jsonLimit: `${options.limit ?? 1024 * 1024}b`, strict: true });
  return async function parseJsonBody(ctx, next) {
    const length = ctx.get('Content-Length');
    const hasBody = ctx.get('Transfer-Encoding') !== '' || (length !== '' && length !== '0');
    if (hasBody && !ctx.is('application/json')) {
      throw new UnsupportedMediaType(ctx.get('Content-Type') || '(none)');
    }
    await parse(ctx, async () => {
      if (depthExceeds(ctx.request.body, maxDepth)) throw new BodyTooDeep(maxDepth);
      await next();
    });
  };
}

/** Iterative so that the check itself cannot overflow. */
function depthExceeds(value: unknown, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > maxDepth) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}
