/**
 * `currentExecution()`: what a running function can ask about the execution it runs in, through
 * AsyncLocalStorage so that plain functions need no extra parameter.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { NoCurrentExecution } from '../errors.js';

/** The running execution, as seen from inside the function. */
export interface CurrentExecution<State = unknown> {
  /** The execution's id. */
  readonly id: string;
  /** Aborts when the execution is cancelled or times out (its `reason` is a `Cancelled` / `Timeout`). */
  readonly signal: AbortSignal;
  /**
   * Reports progress (`fraction` from 0 to 1). Stored and delivered to subscribers at most every
   * 250 ms per execution; the last report is always stored before the execution ends.
   */
  progress(fraction: number, message?: string): void;
  /**
   * Saves `state` so that a retry or a takeover resumes from it (read it back from `state`).
   * Throttled like `progress`; the last one is always stored.
   */
  checkpoint(state: State): void;
  /** The last checkpoint (or pending state); `null` on a first run. */
  readonly state: State | null;
  /** 1 on the first run, 2 on the first retry or takeover, … */
  readonly attempt: number;
}

const storage = new AsyncLocalStorage<CurrentExecution>();

/**
 * The execution the calling function runs in.
 * @throws NoCurrentExecution when called outside an execution.
 * @example
 * export async function resend(reportId: Integer) {
 *   const { progress, signal } = currentExecution();
 *   for (const [i, r] of recipients.entries()) { await send(r, { signal }); progress((i + 1) / recipients.length); }
 * }
 */
export function currentExecution<State = unknown>(): CurrentExecution<State> {
  const current = storage.getStore();
  if (!current) throw new NoCurrentExecution();
  return current as CurrentExecution<State>;
}

/** Runs `fn` with `context` as the current execution (for the lifecycle, not for users). */
export function runInExecution<T>(context: CurrentExecution, fn: () => T): T {
  return storage.run(context, fn);
}
