/** The wait before retrying a failed run, from the function's `backoff` option. */
import type { Backoff } from '../registry/function-options.js';

/** Default `backoff`: 1 s before the first retry, doubling, at most 5 minutes. */
export const DEFAULT_BACKOFF = { delay: 1000, factor: 2, max: 300_000 } as const;

/**
 * Milliseconds to wait after failed attempt `attempt` (1-based): `delay × factor^(attempt − 1)`,
 * capped at `max` (defaults {@link DEFAULT_BACKOFF}); a function policy is called with the attempt,
 * and what it returns is read as a number of milliseconds (negative or not a number: 0).
 */
export function backoffDelay(backoff: Backoff | undefined, attempt: number): number {
  if (typeof backoff === 'function') return Math.max(0, Number(backoff(attempt)) || 0);
  const delay = backoff?.delay ?? DEFAULT_BACKOFF.delay;
  const factor = backoff?.factor ?? DEFAULT_BACKOFF.factor;
  const max = backoff?.max ?? DEFAULT_BACKOFF.max;
  return Math.min(max, delay * factor ** (attempt - 1));
}
