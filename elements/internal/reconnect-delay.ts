/** What a stream waits before reconnecting when the server does not say (`retry:`), in ms; as `EventSource`. */
export const DEFAULT_RETRY_MS = 3000;

/** The longest wait between two attempts, in ms, unless the server asks for a longer one. */
export const MAX_RECONNECT_DELAY_MS = 30_000;

/**
 * How long to wait before the next attempt to reopen a stream: the server's `retry:` delay after a
 * break, doubled for each attempt since then that failed too (a server that is down is not hammered),
 * capped at {@link MAX_RECONNECT_DELAY_MS} or the server's delay if that is longer.
 *
 * @example
 * reconnectDelay(2000, 0); // 2000: the stream broke, first attempt
 * reconnectDelay(2000, 2); // 8000: two attempts failed since
 */
export function reconnectDelay(retryMs: number, failedAttempts: number): number {
  const cap = Math.max(retryMs, MAX_RECONNECT_DELAY_MS);
  // Bounded exponent: 2 ** 1100 is Infinity, and the cap is reached long before 2 ** 20 anyway.
  return Math.min(retryMs * 2 ** Math.min(failedAttempts, 20), cap);
}
