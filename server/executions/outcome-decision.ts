/**
 * Which status change a run's step ends with: the pure decision between `done`, `waiting` (to poll,
 * to call again, or to retry after a backoff) and `errored`, given what the function did. Storing
 * the result, state or error (and checking their size) is the service's concern.
 */
import type { Backoff } from '../registry/function-options.js';
import type { ExecutionError, ExecutionStatus } from '../../api/execution.js';
import { backoffDelay } from './backoff.js';

/** Default wait of `pending()` without `after`, when the function sets no `pollEvery`. */
export const POLL_EVERY_MS = 5_000;

/** What came of a step. */
export type StepOutcome =
  /** The function returned a result (stored as the output). */
  | { kind: 'returned' }
  /** It returned `pending(state, { after })`. */
  | { kind: 'pending'; after: number | undefined }
  /** It threw (or its result could not be stored); `retryable`: whether another attempt may fix it. */
  | { kind: 'failed'; error: ExecutionError; retryable: boolean };

/** The step being ended. */
export interface StepView {
  /** The status the step ends from (`started` when `validate` failed, else `running`). */
  status: ExecutionStatus;
  /** Attempts started so far, this one included. */
  attempts: number;
}

/** The function's options that bear on the decision. */
export interface OutcomePolicy {
  /** Default 0. */
  retries?: number | undefined;
  /** Default `{ delay: 1000, factor: 2, max: 300000 }`. */
  backoff?: Backoff | undefined;
  /** Default {@link POLL_EVERY_MS}. */
  pollEvery?: number | undefined;
  /** Whether the function has a `poll` hook (called next instead of the function). */
  hasPoll: boolean;
}

/** The planned end of a step (times in epoch ms). */
export type StepEnd =
  | { to: 'done' }
  /** Looks again at `nextRunAt`: through `poll`, or by calling the function again. */
  | { to: 'waiting'; waitKind: 'poll' | 'call'; after: number; nextRunAt: number }
  /** Tries again at `nextRunAt`; `attempt` is the one that failed. */
  | {
      to: 'waiting';
      waitKind: 'retry';
      after: number;
      nextRunAt: number;
      attempt: number;
      error: ExecutionError;
    }
  | { to: 'errored'; error: ExecutionError };

/**
 * Decides how a step ends. A failure is retried only when it is `retryable`, the run is `running`
 * (a rejected `validate` is final) and attempts remain (`attempts < retries + 1`).
 */
export function decideOutcome(
  outcome: StepOutcome,
  step: StepView,
  policy: OutcomePolicy,
  now: number,
): StepEnd {
  if (outcome.kind === 'returned') return { to: 'done' };
  if (outcome.kind === 'pending') {
    const after = outcome.after ?? policy.pollEvery ?? POLL_EVERY_MS;
    return { to: 'waiting', waitKind: policy.hasPoll ? 'poll' : 'call', after, nextRunAt: now + after };
  }
  const { error } = outcome;
  if (outcome.retryable && step.status === 'running' && step.attempts < (policy.retries ?? 0) + 1) {
    const after = backoffDelay(policy.backoff, step.attempts);
    return { to: 'waiting', waitKind: 'retry', after, nextRunAt: now + after, attempt: step.attempts, error };
  }
  return { to: 'errored', error };
}
