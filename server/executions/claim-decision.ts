/**
 * Whether a worker may claim a stored execution now, and how: the pure decision `advance` takes
 * before it writes anything. Claiming itself (a conditional update on the worker and heartbeat read
 * here) may still lose a race; that is the service's concern.
 */
import { UnknownFunction } from '../errors.js';
import { isTerminal, type ExecutionStatus } from '../../api/execution.js';
import type { WaitKind } from './wait-kind.js';

/** Default heartbeat time-to-live: a worker silent for longer no longer holds its execution. */
export const HEARTBEAT_TTL_MS = 60_000;

/** The facts of a stored execution that the decision reads (times in epoch ms); an `ExecutionRecord` is one. */
export interface ClaimView {
  status: ExecutionStatus;
  functionName: string;
  /** The worker holding the claim, if any. */
  workerId: string | null;
  /** That worker's last heartbeat. */
  heartbeatAt: number | null;
  /** Not to run again before this. */
  nextRunAt: number | null;
  /** Attempts started so far. */
  attempts: number;
  waitKind: WaitKind | null;
}

/** Who asks, and when. */
export interface ClaimContext {
  /** Epoch ms. */
  now: number;
  workerId: string;
  /** A heartbeat older than this many ms is stale: its worker is taken to be gone. */
  ttlMs: number;
  /** Whether this process is running the execution right now. */
  runsHere: boolean;
  /** The execution's function (whether it has a `validate` hook, its `retries`); undefined when not registered. */
  fn: { validates: boolean; retries: number } | undefined;
}

/** What `advance` does with the execution. */
export type ClaimDecision =
  /** It has ended: nothing to do. */
  | { kind: 'done' }
  /** Not now: running here or held by a live worker, or not due yet. */
  | { kind: 'not-claimed' }
  /**
   * Error it without running anything: its function is not registered, or its workers keep dying
   * (`worker-lost`: only while the claim is still as read).
   */
  | { kind: 'give-up'; reason: 'unknown-function' | 'worker-lost'; error: Error }
  /** A created execution: claim it and move it along `path`, counting an attempt. */
  | { kind: 'start'; path: ExecutionStatus[]; attempts: number }
  /** A waiting execution that is due: claim it back into `running` (a retry counts an attempt). */
  | { kind: 'resume'; attempts: number }
  /** Its worker stopped heart-beating mid-run: take it over, counting an attempt. */
  | { kind: 'take-over'; attempts: number; previousWorkerId: string | null };

/**
 * The statuses a claimed, created execution passes through at once: up to `started` when a
 * `validate` hook must run first, else straight to `running`.
 */
export function startPath(validates: boolean): ExecutionStatus[] {
  return validates ? ['started'] : ['started', 'validated', 'running'];
}

/**
 * Decides whether `context.workerId` may claim `row` now. A row is free when nobody holds it, its
 * holder's heartbeat is missing or stale, or its holder is this very worker id (reused by a new
 * process after a crash, or a step that failed before its function ran: this process runs it not).
 * A run taken over is allowed one attempt beyond `retries + 1`; past that it errors with `WorkerLost`.
 */
export function decideClaim(row: ClaimView, context: ClaimContext): ClaimDecision {
  if (isTerminal(row.status)) return { kind: 'done' };
  if (context.runsHere) return { kind: 'not-claimed' };
  const { now, fn } = context;
  const free =
    row.workerId === null ||
    row.workerId === context.workerId ||
    row.heartbeatAt === null ||
    row.heartbeatAt < now - context.ttlMs;
  if (!free || (row.nextRunAt !== null && row.nextRunAt > now)) return { kind: 'not-claimed' };
  if (!fn)
    return { kind: 'give-up', reason: 'unknown-function', error: new UnknownFunction(row.functionName) };
  if (row.status === 'created')
    return { kind: 'start', path: startPath(fn.validates), attempts: row.attempts + 1 };
  if (row.status === 'waiting')
    return { kind: 'resume', attempts: row.waitKind === 'retry' ? row.attempts + 1 : row.attempts };
  const maxAttempts = fn.retries + 1;
  if (row.attempts >= maxAttempts + 1) {
    const error = Object.assign(
      new Error(`The worker running this execution stopped (attempt ${row.attempts} of ${maxAttempts})`),
      { name: 'WorkerLost' },
    );
    return { kind: 'give-up', reason: 'worker-lost', error };
  }
  return { kind: 'take-over', attempts: row.attempts + 1, previousWorkerId: row.workerId };
}
