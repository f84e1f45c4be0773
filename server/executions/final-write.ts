/**
 * Writing the end of a run (its result, pending state, retry or error) when the database fails for a
 * moment: the write is tried again a few times with backoff, because the alternative, letting the
 * scheduler retry the whole step, would run the function again.
 */
import { ExecutionNotFound, IllegalTransition } from '../errors.js';

/** How a final write is retried. */
export interface FinalWriteRetry {
  /** Tries in all, at least 1. Default 4. */
  attempts?: number;
  /** Wait before the second try; each later wait is 4 times longer. Default 250 (so 0.25, 1 and 4 s). */
  delayMs?: number;
}

/** Default {@link FinalWriteRetry}. */
export const FINAL_WRITE_RETRY: Required<FinalWriteRetry> = { attempts: 4, delayMs: 250 };

/** Whether the database refused a write for its size: trying again cannot help. */
export function isTooLargeForDatabase(err: unknown): boolean {
  const { code, errno } = (err ?? {}) as { code?: unknown; errno?: unknown };
  return code === 'ER_NET_PACKET_TOO_LARGE' || errno === 1153 || code === 'SQLITE_TOOBIG';
}

/** Whether a failed write is worth trying again: not a lost race, a missing row or a size refusal. */
export function isRetryable(err: unknown): boolean {
  return !(
    err instanceof IllegalTransition ||
    err instanceof ExecutionNotFound ||
    isTooLargeForDatabase(err)
  );
}

/**
 * Runs `write`, trying again after a retryable failure (see {@link isRetryable}) until
 * `retry.attempts` tries were made; `onRetry` hears each failure that is followed by another try.
 * @throws the last failure.
 */
export async function writeWithRetries<T>(
  write: () => Promise<T>,
  retry: FinalWriteRetry,
  onRetry: (err: unknown, attempt: number) => void,
): Promise<T> {
  const attempts = Math.max(1, retry.attempts ?? FINAL_WRITE_RETRY.attempts);
  const delayMs = retry.delayMs ?? FINAL_WRITE_RETRY.delayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (attempt >= attempts || !isRetryable(err)) throw err;
      onRetry(err, attempt);
      await new Promise((resolve) => setTimeout(resolve, delayMs * 4 ** (attempt - 1)));
    }
  }
}
