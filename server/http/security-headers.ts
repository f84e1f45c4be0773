/**
 * Security headers on every response, a few lines here instead of koa-helmet (whose Koa 3 support is
 * unreleased, and which would add two packages for fixed header values).
 *
 * API answers (`/api`, `/healthz`) are data, never a document: they get the headers OWASP's REST
 * Security Cheat Sheet lists for APIs (no sniffing, no framing, nothing loaded, no referrer, no
 * cross-origin reads). Everything else (the static folder, the elements bundle) may be a document and
 * gets helmet's document defaults besides. Every header costs bytes and work on every answer, so
 * the document-only ones (DNS prefetching, IE download options, Flash policies, agent clusters)
 * are not sent with JSON. HSTS goes only over TLS: RFC 6797 §7.2 forbids it over plain HTTP.
 */
import type { Middleware } from 'koa';

const API_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const DOCUMENT_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'Origin-Agent-Cluster': '?1',
};

const HSTS = 'max-age=15552000; includeSubDomains';

/** Sets the security headers for the kind of answer the path gives. */
export function securityHeaders(): Middleware {
  return async function setSecurityHeaders(ctx, next) {
    const path = ctx.path;
    ctx.set(path.startsWith('/api/') || path === '/api' || path === '/healthz' ? API_HEADERS : DOCUMENT_HEADERS);
    if (ctx.secure) ctx.set('Strict-Transport-Security', HSTS);
    await next();
  };
}
