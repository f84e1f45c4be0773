/**
 * `pending(state, { after })`: the value a function (or its `poll` hook) returns to say "not done
 * yet, here is my state, look again later". The execution moves to `waiting`; the scheduler advances
 * it again after `after` ms and calls `poll(state)` (or the function again, when it has no `poll`).
 */

const PENDING = Symbol.for('turtle-shell.pending');

/** Options of {@link pending}. */
export interface PendingOptions {
  /** Milliseconds to wait before looking again. Default: the function's `pollEvery` option (5000). */
  after?: number;
}

/** "Not done yet": what {@link pending} returns. */
export interface Pending<State = unknown> {
  readonly [PENDING]: true;
  /** Saved as the execution's `state` and handed to `poll(state)` next time. */
  readonly state: State;
  /** Milliseconds until the next look, when given. */
  readonly after: number | undefined;
}

/**
 * Says "not done yet".
 *
 * @example
 * registry.add(submitJob, {
 *   async poll(state: { jobId: string }) {
 *     const job = await cluster.get(state.jobId);
 *     return job.finished ? job.result : pending(state, { after: 10_000 });
 *   },
 * });
 */
export function pending<State>(state: State, options: PendingOptions = {}): Pending<State> {
  if (options.after !== undefined && !(Number.isFinite(options.after) && options.after >= 0)) {
    throw new RangeError(`pending(): after must be a number of milliseconds >= 0, got ${options.after}`);
  }
  return Object.freeze({ [PENDING]: true as const, state, after: options.after });
}

/** Whether `value` came from {@link pending}. */
export function isPending(value: unknown): value is Pending {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PENDING] === true;
}
