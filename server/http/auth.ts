/**
 * Authentication: who is calling. Off when no tokens and no `authenticate` hook are configured (the
 * local demo); otherwise every `/api` request needs a user, from the hook or from a bearer token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { Unauthorized } from './http-errors.js';
import type { AppState } from './app-state.js';

/**
 * Resolves the user of a request: a user name, or nothing when the request carries no credentials
 * this hook knows. It may throw `Unauthorized` or `Forbidden` (from `turtle-shell/server`).
 */
export type Authenticate = (ctx: Context) => string | undefined | null | Promise<string | undefined | null>;

/** Options of {@link authMiddleware}. */
export interface AuthOptions {
  /** Bearer tokens by user name (`TURTLE_TOKENS`); default none. */
  tokens?: Record<string, string>;
  /** A custom hook, tried before the tokens; default none. */
  authenticate?: Authenticate;
}

/** True when the options turn auth on. */
export function authEnabled(options: AuthOptions): boolean {
  return Boolean(options.authenticate) || Object.keys(options.tokens ?? {}).length > 0;
}

/** Sets `ctx.state.user`, or answers 401 when auth is on and no user is found. */
export function authMiddleware(options: AuthOptions): Middleware<AppState> {
  const lookup = tokenLookup(options.tokens ?? {});
  return async function authenticateRequest(ctx, next) {
    const user = (await options.authenticate?.(ctx)) ?? lookup(ctx.get('Authorization'));
    if (!user) throw new Unauthorized();
    ctx.state.user = user;
    await next();
  };
}

/**
 * Finds the user owning the bearer token in `header`. Every configured token is compared (as SHA-256
 * digests, so lengths match) with `timingSafeEqual`, so the time taken says nothing about which
 * token came close.
 */
export function tokenLookup(tokens: Record<string, string>): (header: string) => string | undefined {
  const digests = Object.entries(tokens).map(([name, token]) => [name, sha256(token)] as const);
  return (header) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) return undefined;
    const presented = sha256(match[1]!);
    let found: string | undefined;
    for (const [name, digest] of digests) {
      if (timingSafeEqual(presented, digest) && found === undefined) found = name;
    }
    return found;
  };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
