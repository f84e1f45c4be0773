/**
 * CORS for pages on other origins that embed the elements: an explicit allowlist
 * (`TURTLE_CORS_ORIGINS`). Credentials are allowed only for listed origins; `*` in the list allows
 * any origin but then without credentials, so a wildcard never meets cookies or tokens sent by the
 * browser on its own.
 */
import cors from '@koa/cors';
import type { Middleware } from 'koa';

/** Options of {@link corsMiddleware}. */
export interface CorsOptions {
  /** Allowed origins (`https://app.example`), or `['*']`; default none (no CORS headers at all). */
  origins?: string[];
}

/** The CORS middleware for the allowlist. */
export function corsMiddleware(options: CorsOptions): Middleware {
  const origins = new Set((options.origins ?? []).map((o) => o.replace(/\/+$/, '')));
  const wildcard = origins.has('*');
  return cors({
    origin: (ctx) => {
      const origin = ctx.get('Origin');
      if (origins.has(origin)) return origin;
      return wildcard ? '*' : '';
    },
    credentials: (ctx) => origins.has(ctx.get('Origin')),
    allowMethods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Last-Event-ID', 'X-Request-Id'],
    exposeHeaders: ['Location', 'X-Request-Id', 'ETag'],
    maxAge: 600,
  });
}
