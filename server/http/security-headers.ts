/**
 * Security headers on every response: the subset of helmet's defaults that matters for a JSON API and
 * a script bundle. A dozen lines here instead of koa-helmet, whose Koa 3 support is unreleased and
 * which would add two packages for fixed header values.
 */
import type { Middleware } from 'koa';

/** Fixed headers for every response. */
const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=15552000; includeSubDomains',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'Origin-Agent-Cluster': '?1',
};

/** API responses are data, never a document: no framing, no scripts, nothing loaded. */
const API_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Sets the security headers; `/api` and `/healthz` get the strict document policy too. */
export function securityHeaders(): Middleware {
  return async function setSecurityHeaders(ctx, next) {
    ctx.set(COMMON_HEADERS);
    if (ctx.path.startsWith('/api/') || ctx.path === '/api' || ctx.path === '/healthz') ctx.set(API_HEADERS);
    ctx.remove('X-Powered-By');
    await next();
  };
}
