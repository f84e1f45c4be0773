/**
 * The shapes of the JSON API as the elements see them. The elements speak HTTP only, so these are
 * declared here rather than imported from `server/`; the manifest types are the shared contract.
 */
import type { ExecutionMode, Schema } from '../../manifest/manifest.js';

/** Every status an execution can be in. */
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

/** Statuses after which nothing changes any more (only a rerun makes a new execution). */
export const FINAL_STATUSES: ReadonlySet<string> = new Set<ExecutionStatus>(['done', 'errored', 'cancelled']);

/** Whether `status` is final: no more updates will come for the execution. */
export function isFinalStatus(status: string): boolean {
  return FINAL_STATUSES.has(status);
}

/** A registered function as `GET /api/functions` describes it. */
export interface FunctionInfo {
  name: string;
  mode: ExecutionMode;
  title?: string;
  description?: string;
  /** An object schema: one property per input field. */
  params: Schema & { type?: 'object'; properties?: Record<string, Schema>; required?: string[] };
  /** The schema of the result; `{}` when the function says nothing about it. */
  returns: Schema;
}

/** How far a running execution has got, as its function last reported. */
export interface ExecutionProgress {
  /** 0…1. */
  fraction: number;
  message?: string;
}

/** One entry of an execution's timeline. */
export interface ExecutionEvent {
  /** Increasing across the whole store. */
  id: number;
  executionId: string;
  functionName: string;
  at: string;
  /** `status` (a change `from` → `to`), `progress`, `checkpoint`, `retry`, `takeover`, … */
  kind: string;
  from?: string;
  to?: string;
  data?: unknown;
}

/** What the server stores for one run of a function. */
export interface Execution {
  id: string;
  functionName: string;
  mode: ExecutionMode;
  status: ExecutionStatus;
  input: Record<string, unknown>;
  output: unknown;
  error: ExecutionError | null;
  progress: ExecutionProgress | null;
  user: string | null;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  rerunOf: string | null;
  /** The timeline, only on `GET /api/executions/:id`. */
  events?: ExecutionEvent[];
}

/** How an execution's failure is stored. */
export interface ExecutionError {
  type?: string;
  message?: string;
  details?: unknown;
  [key: string]: unknown;
}

/** One validation problem the server reports, `path` a JSON pointer such as `/sampleIds`. */
export interface FieldError {
  path: string;
  message: string;
}

/** A page of `GET /api/executions`. */
export interface ExecutionPage {
  items: Execution[];
  /** The cursor of the next page; `null` on the last page. */
  next: string | null;
}

/** Filters of `GET /api/executions`. Empty or missing values are left out of the query. */
export interface ExecutionQuery {
  function?: string;
  status?: string;
  user?: string;
  limit?: number;
  cursor?: string;
}
