/**
 * The server-wide settings of completion webhooks, and the start-up check that a secret is there
 * whenever anything may be sent: an unsigned notice would be one a receiver cannot trust.
 */
import { ConfigError } from '../config.js';
import type { Backoff } from '../registry/function-options.js';

/** Settings of completion webhooks. */
export interface WebhookSettings {
  /** Receivers of every function's `done` and `errored` ends (`TURTLE_WEBHOOK_URLS`). Default none. */
  urls?: readonly string[];
  /**
   * The signing secret, `whsec_` + base64 of 24 to 64 random bytes (`TURTLE_WEBHOOK_SECRET`). Required
   * when any URL is configured (here or in a function's `notify`).
   */
  secret?: string;
  /** Attempts per delivery before it is `failed`. Default {@link DEFAULT_WEBHOOK_ATTEMPTS} (16). */
  maxAttempts?: number;
  /**
   * Wait after failed attempt n. Default {@link DEFAULT_WEBHOOK_BACKOFF}: 5 s, doubling, at most
   * 6 hours; with 16 attempts a receiver may be down for about 23 hours without losing a notice.
   */
  backoff?: Backoff;
  /** How long one POST may take before it counts as failed, in ms. Default 10000. */
  timeoutMs?: number;
}

/** Default `maxAttempts`. */
export const DEFAULT_WEBHOOK_ATTEMPTS = 16;
/** Default `backoff`: 5 s, ×2 each time, capped at 6 hours. */
export const DEFAULT_WEBHOOK_BACKOFF = { delay: 5000, factor: 2, max: 6 * 3_600_000 } as const;
/** Default `timeoutMs`. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

const SECRET = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

/**
 * Checks that a valid `secret` is given when `anyUrl` (a server-wide or a function's receiver).
 * @throws ConfigError (setting `TURTLE_WEBHOOK_SECRET`)
 */
export function checkWebhookSecret(secret: string | undefined, anyUrl: boolean): void {
  if (secret === undefined) {
    if (!anyUrl) return;
    throw new ConfigError(
      'Completion webhooks are configured but TURTLE_WEBHOOK_SECRET is not set: give a secret such as whsec_ followed by base64 of 32 random bytes',
      { setting: 'TURTLE_WEBHOOK_SECRET', value: '' },
    );
  }
  const base64 = SECRET.exec(secret)?.[1];
  const bytes = base64 === undefined ? 0 : Buffer.from(base64, 'base64').length;
  if (bytes < 24 || bytes > 64) {
    throw new ConfigError(
      'TURTLE_WEBHOOK_SECRET must be whsec_ followed by base64 of 24 to 64 random bytes (Standard Webhooks)',
      // Never echo a secret, even a wrong one.
      { setting: 'TURTLE_WEBHOOK_SECRET', value: '…' },
    );
  }
}
