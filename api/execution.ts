/**
 * Executions on the wire: the statuses and the shapes `/api/executions…` answers with, shared by
 * `server/` (which writes them) and `elements/` (which read them). Part of the versioned JSON API
 * contract ({@link API_VERSION}); runtime code here must stay tiny and browser-safe.
 */
import type { ExecutionMode } from '../manifest/manifest.js';
import type { ErrorType } from './errors.js';
import type { WebhookDelivery } from './webhooks.js';

/**
 * Every status an execution can have, as in the seed: `created → started → validated → running →
 * done | errored | cancelled`, plus `waiting` ("still work to do: look again later").
 */
export const ExecutionStatus = {
  created: 'created',
  started: 'started',
  validated: 'validated',
  running: 'running',
  waiting: 'waiting',
  done: 'done',
  errored: 'errored',
  cancelled: 'cancelled',
} as const;

/** One of {@link ExecutionStatus}. */
export type ExecutionStatus = (typeof ExecutionStatus)[keyof typeof ExecutionStatus];

/** Statuses an execution never leaves (only a rerun makes a new execution). */
export const TERMINAL_STATUSES: readonly ExecutionStatus[] = ['done', 'errored', 'cancelled'];

/** Statuses of executions a scheduler still has to advance (every non-terminal status). */
export const PENDING_STATUSES: readonly ExecutionStatus[] = [
  'created',
  'started',
  'validated',
  'running',
  'waiting',
];

/** Whether `status` is one an execution never leaves: no more updates will come for it. */
export function isTerminal(status: string): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

/** The name the elements use for {@link isTerminal}: a final status ends the live view. */
export const isFinalStatus: (status: string) => boolean = isTerminal;

/** Whether `status` is one of {@link ExecutionStatus}. */
export function isExecutionStatus(status: unknown): status is ExecutionStatus {
  return typeof status === 'string' && Object.hasOwn(ExecutionStatus, status);
}

/** The stored form of an error: what the function (or the `onError` hook) raised. */
export interface ExecutionError {
  /** The error's stable type (`ValidationError`, `Timeout`, … or the function's own error name). */
  type: ErrorType;
  message: string;
  details: Record<string, unknown>;
}

/** Progress reported by a running function through `currentExecution().progress()`. */
export interface ExecutionProgress {
  /** From 0 to 1. */
  fraction: number;
  message?: string;
}

/** One run of a registered function, with ISO timestamps (UTC, milliseconds). */
export interface Execution {
  /** A UUID. */
  id: string;
  /** The registered name of the function. */
  functionName: string;
  mode: ExecutionMode;
  status: ExecutionStatus;
  /**
   * The validated inputs with defaults applied (dates as ISO strings). A given secret (a `writeOnly`
   * parameter, e.g. `Secret`) is never sent: its value is {@link REDACTED} and its JSON pointer is in
   * {@link Execution.redactedInputs}.
   */
  input: Record<string, unknown>;
  /**
   * JSON pointers into `input` of the secrets that were given and are masked (e.g. `["/password"]`);
   * `[]` when none. The API always sends it; executions read in-process (the service) carry their
   * inputs unmasked and no such field.
   */
  redactedInputs?: string[];
  /** The function's result once `done`, else `null`. */
  output: unknown;
  error: ExecutionError | null;
  /**
   * The stack of the error, when there was one. The API sends it with paths relative to the server's
   * working directory, or `null` when the server hides tracebacks (`TURTLE_EXPOSE_TRACEBACKS=0`).
   */
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
  /** The schedule that fired it (its `user` is then `schedule:<id>`), else `null`. */
  scheduleId: string | null;
  /** When a `waiting` execution (or a retry) should be advanced next. */
  nextRunAt: string | null;
  /**
   * The version of the function it was created with: the SHA-256 (hex) of the function's manifest
   * entry as canonical JSON (`GET /api/functions/:name/versions/:version` answers that entry);
   * `null` for runs stored before versions were recorded.
   */
  functionVersion: string | null;
  /** The timeline, oldest first; only `GET /api/executions/:id` sends it. */
  events?: ExecutionEvent[];
  /** The completion webhooks of its end, oldest first; only `GET /api/executions/:id` sends it. */
  deliveries?: WebhookDelivery[];
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

/** What `input` holds in place of a secret's value in every answer. */
export const REDACTED = '••••';

/** The big fields a summary leaves out (only `?fields=full` sends them in a list). */
export type ExecutionDetailField =
  'input' | 'redactedInputs' | 'output' | 'state' | 'traceback' | 'events' | 'deliveries';

/**
 * An item of `GET /api/executions` by default: the execution without its inputs, output, state,
 * traceback and events, so that a page stays small whatever the functions take and return.
 */
export type ExecutionSummary = Omit<Execution, ExecutionDetailField>;

/** `fields` of `GET /api/executions`: `summary` (default) or `full` (whole executions, no events). */
export type ExecutionFields = 'summary' | 'full';

/**
 * A page of `GET /api/executions`, newest first: of {@link ExecutionSummary} items by default, of
 * whole executions with `?fields=full` (`ExecutionPage<Execution>`).
 */
export interface ExecutionPage<Item extends ExecutionSummary = ExecutionSummary> {
  items: Item[];
  /** The cursor of the next page; `null` on the last one. */
  next: string | null;
}

/** Largest page (`limit`) `GET /api/executions` returns. */
export const MAX_PAGE_SIZE = 500;

/** The query of `GET /api/executions`. Empty or missing values are left out. */
export interface ExecutionQuery {
  /** Only executions of this function. Default: all. */
  function?: string;
  /** Only executions in this status. Default: all. */
  status?: string;
  /** Only executions of this user. Default: all (the server may restrict it). */
  user?: string;
  /**
   * Only executions whose input has exactly these values (`input.<name>=`), by `@filterable`
   * parameter name, as text (`"42"`, `"true"`, an enum value); needs `function`. Default: none.
   */
  input?: Record<string, string>;
  /** Only executions fired by this schedule. Default: all. */
  schedule?: string;
  /** Page size, 1 to 500. Default: 50. */
  limit?: number;
  /** The `next` of the previous page. Default: the first page. */
  cursor?: string;
  /** `full` for whole executions instead of summaries. Default: `summary`. */
  fields?: ExecutionFields;
}
