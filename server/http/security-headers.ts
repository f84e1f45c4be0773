/**
 * Security headers, a few lines here instead of koa-helmet (whose Koa 3 support is unreleased, and
 * which would add two packages for fixed header values).
 *
 * Every answer starts with the set OWASP's REST Security Cheat Sheet lists for APIs (no sniffing,
 * no framing, nothing loaded, no referrer, no cross-origin reads): JSON is data, never a document.
 * Only where a file of the static folder is served ({@link setDocumentHeaders}) is the answer a
 * document, and it gets a document CSP (its own origin only, not framed by other sites) and helmet's
 * document defaults besides. The decision is made where the file is served, not by matching paths,
 * so no spelling of a path turns JSON into a document. Every header costs bytes and work on every
 * answer, so the document-only ones (DNS prefetching, IE download options, Flash policies, agent
 * clusters) are not sent with JSON. HSTS goes only over TLS: RFC 6797 §7.2 forbids it over plain HTTP.
 */
import type { Context, Middleware } from 'koa';

const API_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * The CSP of a page from the static folder: scripts, styles, images and API calls from its own
 * origin only. Inline styles are allowed (a `<style>` block or `style=""` cannot run code); inline
 * scripts and event handler attributes are not. Framing only by the same origin.
 */
export const DOCUMENT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

const DOCUMENT_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': DOCUMENT_CSP,
  'X-Frame-Options': 'SAMEORIGIN',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'Origin-Agent-Cluster': '?1',
};

const HSTS = 'max-age=15552000; includeSubDomains';

/** Sets the API headers on every answer (and HSTS over TLS). */
export function securityHeaders(): Middleware {
  return async function setSecurityHeaders(ctx, next) {
    ctx.set(API_HEADERS);
    if (ctx.secure) ctx.set('Strict-Transport-Security', HSTS);
    await next();
  };
}

/** Turns the API headers of `ctx` into a document's: for a page served from the static folder. */
export function setDocumentHeaders(ctx: Context): void {
  ctx.set(DOCUMENT_HEADERS);
}
