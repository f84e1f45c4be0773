/**
 * An execution as the lifecycle holds it: typed, decoded (times in epoch ms, JSON parsed), whatever
 * the database. The store turns it into rows and back; nothing outside the store sees a column.
 */
import type { ExecutionMode } from '../../../manifest/manifest.js';
import type { WaitKind } from '../wait-kind.js';
import type {
  Execution,
  ExecutionError,
  ExecutionEvent,
  ExecutionEventKind,
  ExecutionProgress,
  ExecutionStatus,
  ExecutionSummary,
} from '../../../api/execution.js';

/** A stored execution. */
export interface ExecutionRecord {
  id: string;
  functionName: string;
  mode: ExecutionMode;
  status: ExecutionStatus;
  input: Record<string, unknown>;
  output: unknown;
  error: ExecutionError | null;
  traceback: string | null;
  /** The last checkpoint or pending state. */
  state: unknown;
  progress: ExecutionProgress | null;
  user: string | null;
  attempts: number;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  rerunOf: string | null;
  /** The worker holding the claim, and its last heartbeat. */
  workerId: string | null;
  heartbeatAt: number | null;
  /** A waiting execution runs again at `nextRunAt`, for the reason `waitKind`. */
  nextRunAt: number | null;
  waitKind: WaitKind | null;
  /** The caller's key scoped to its user (see `scopedKey`); unique. */
  idempotencyKey: string | null;
  /** The version of the function's manifest entry it was created with; null for runs stored before versions were. */
  functionVersion: string | null;
  /** The schedule that fired this execution, if one did. */
  scheduleId: string | null;
}

/** What a change may set besides the status (which only transitions set) and `updatedAt`. */
export type RecordPatch = Partial<
  Pick<
    ExecutionRecord,
    | 'output'
    | 'error'
    | 'traceback'
    | 'state'
    | 'progress'
    | 'attempts'
    | 'startedAt'
    | 'finishedAt'
    | 'workerId'
    | 'heartbeatAt'
    | 'nextRunAt'
    | 'waitKind'
  >
>;

/** What a conditional change expects of the stored execution; `null` means "none". */
export interface Expected {
  status: ExecutionStatus;
  workerId?: string | null;
  heartbeatAt?: number | null;
}

/** An event to record; the store gives it its id and time. */
export interface EventDraft {
  kind: ExecutionEventKind;
  from?: ExecutionStatus | null;
  to?: ExecutionStatus;
  data?: unknown;
}

/** The public summary of a record. */
export function toSummary(record: ExecutionRecord): ExecutionSummary {
  return {
    id: record.id,
    functionName: record.functionName,
    mode: record.mode,
    status: record.status,
    error: record.error,
    progress: record.progress,
    user: record.user,
    attempts: record.attempts,
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
    startedAt: isoOrNull(record.startedAt),
    finishedAt: isoOrNull(record.finishedAt),
    rerunOf: record.rerunOf,
    scheduleId: record.scheduleId,
    nextRunAt: isoOrNull(record.nextRunAt),
    functionVersion: record.functionVersion,
  };
}

/** The public form of a record. */
export function toExecution(record: ExecutionRecord): Execution {
  return {
    ...toSummary(record),
    input: record.input,
    output: record.output ?? null,
    traceback: record.traceback,
    state: record.state ?? null,
  };
}

/** The public form of an event recorded for `record` at `at`. */
export function toEvent(
  record: Pick<ExecutionRecord, 'id' | 'functionName'>,
  id: number,
  at: number,
  draft: EventDraft,
): ExecutionEvent {
  return {
    id,
    executionId: record.id,
    functionName: record.functionName,
    at: iso(at),
    kind: draft.kind,
    ...(draft.from ? { from: draft.from } : {}),
    ...(draft.to ? { to: draft.to } : {}),
    ...(draft.data !== undefined && draft.data !== null ? { data: draft.data } : {}),
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : iso(ms);
}
