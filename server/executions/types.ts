/**
 * The public shapes of executions and their events, as the service returns them: plain JSON-safe
 * objects with ISO timestamps (UTC, milliseconds).
 */
import type { ExecutionMode } from '../../manifest/manifest.js';
import type { ExecutionStatus } from './statuses.js';

/** The stored form of an error: what the function (or the `onError` hook) raised. */
export interface ExecutionError {
  /** The error's stable type (`ValidationError`, `Timeout`, … or the function's own error name). */
  type: string;
  message: string;
  details: Record<string, unknown>;
}

/** Progress reported by a running function through `currentExecution().progress()`. */
export interface ExecutionProgress {
  /** From 0 to 1. */
  fraction: number;
  message?: string;
}

/** One run of a registered function. */
export interface Execution {
  /** A UUID. */
  id: string;
  /** The registered name of the function. */
  functionName: string;
  mode: ExecutionMode;
  status: ExecutionStatus;
  /** The validated inputs with defaults applied (dates as ISO strings). */
  input: Record<string, unknown>;
  /** The function's result once `done`, else `null`. */
  output: unknown;
  error: ExecutionError | null;
  /** The stack of the error, when there was one. */
  traceback: string | null;
  /** The last checkpoint (or `pending(state)`) of the function; resumed from on retry or takeover. */
  state: unknown;
  progress: ExecutionProgress | null;
  /** Who created it, as the caller said. */
  user: string | null;
  /** How many times the function has been started (retries and takeovers included). */
  attempts: number;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** The execution this one is a rerun of. */
  rerunOf: string | null;
  /** When a `waiting` execution (or a retry) should be advanced next. */
  nextRunAt: string | null;
}

/** What an event records. */
export const ExecutionEventKind = {
  /** A status change (`from`, `to`). */
  status: 'status',
  /** `currentExecution().progress()`; `data` is the progress. */
  progress: 'progress',
  /** `currentExecution().checkpoint()`; `data.state` is the state. */
  checkpoint: 'checkpoint',
  /** A failed attempt that will be retried; `data` has `attempt`, `error`, `after`. */
  retry: 'retry',
  /** A worker took over an execution whose worker stopped heart-beating; `data.workerId`. */
  takeover: 'takeover',
  /** The function's `cancel` hook failed; `data.error`. */
  cancelHookFailed: 'cancel-hook-failed',
} as const;

/** One of {@link ExecutionEventKind}. */
export type ExecutionEventKind = (typeof ExecutionEventKind)[keyof typeof ExecutionEventKind];

/** One entry of an execution's timeline. */
export interface ExecutionEvent {
  /** Increasing across the whole store (usable as a Server-Sent Events id). */
  id: number;
  executionId: string;
  functionName: string;
  at: string;
  kind: ExecutionEventKind;
  from?: ExecutionStatus;
  to?: ExecutionStatus;
  data?: unknown;
}

/** An execution with its timeline, oldest event first. */
export type ExecutionWithEvents = Execution & { events: ExecutionEvent[] };
