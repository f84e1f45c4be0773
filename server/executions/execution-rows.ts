/** Mapping stored rows to the public `Execution` and `ExecutionEvent` shapes. */
import type { ExecutionMode } from '../../manifest/manifest.js';
import type { Columns } from '../storage/columns.js';
import type { ExecutionStatus } from '../../api/execution.js';
import type { Execution, ExecutionError, ExecutionEvent, ExecutionEventKind, ExecutionProgress, ExecutionSummary } from '../../api/execution.js';

/** A row of `turtle_executions` as the driver returns it. */
export type ExecutionRow = Record<string, unknown>;

/**
 * The columns a summary is read from ({@link toExecutionSummary}): every column but the big ones
 * (`input_json`, `output_json`, `state_json`, `traceback`), which a list page does not need.
 */
export const SUMMARY_COLUMNS: readonly string[] = [
  'id', 'func_name', 'mode', 'status', 'error_json', 'progress', 'user', 'attempts',
  'created_at', 'updated_at', 'started_at', 'finished_at', 'rerun_of', 'next_run_at',
];

/** The public form of a stored execution: its summary and the big fields. */
export function toExecution(row: ExecutionRow, columns: Columns): Execution {
  return {
    ...toExecutionSummary(row, columns),
    input: (columns.readJson(row.input_json) ?? {}) as Record<string, unknown>,
    output: columns.readJson(row.output_json),
    traceback: (row.traceback as string | null) ?? null,
    state: columns.readJson(row.state_json),
  };
}

/** The summary of a stored execution, from a row holding at least {@link SUMMARY_COLUMNS}. */
export function toExecutionSummary(row: ExecutionRow, columns: Columns): ExecutionSummary {
  const iso = (value: unknown) => {
    const ms = columns.readTime(value);
    return ms === null ? null : new Date(ms).toISOString();
  };
  return {
    id: row.id as string,
    functionName: row.func_name as string,
    mode: row.mode as ExecutionMode,
    status: row.status as ExecutionStatus,
    error: columns.readJson(row.error_json) as ExecutionError | null,
    progress: columns.readJson(row.progress) as ExecutionProgress | null,
    user: (row.user as string | null) ?? null,
    attempts: Number(row.attempts ?? 0),
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    rerunOf: (row.rerun_of as string | null) ?? null,
    nextRunAt: iso(row.next_run_at),
  };
}

/** The public form of a stored event. */
export function toEvent(row: Record<string, unknown>, columns: Columns): ExecutionEvent {
  const data = columns.readJson(row.data_json);
  return {
    id: Number(row.id),
    executionId: row.execution_id as string,
    functionName: row.func_name as string,
    at: new Date(columns.readTime(row.at)!).toISOString(),
    kind: row.kind as ExecutionEventKind,
    ...(row.from_status ? { from: row.from_status as ExecutionStatus } : {}),
    ...(row.to_status ? { to: row.to_status as ExecutionStatus } : {}),
    ...(data !== null ? { data } : {}),
  };
}
