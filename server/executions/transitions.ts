/**
 * The state machine: one transition table, and the one function every status change goes through.
 * It checks the table, updates the row only if it still has the expected status
 * (`… WHERE id = ? AND status = ?`) and records one event per step, in one transaction.
 */
import type { Knex } from 'knex';
import { ExecutionNotFound, IllegalTransition } from '../errors.js';
import { atomically, type Statement } from '../storage/atomic.js';
import type { Columns } from '../storage/columns.js';
import type { InsertPart } from '../storage/insert-batches.js';
import { EVENTS_TABLE, EXECUTIONS_TABLE } from '../storage/tables.js';
import type { ExecutionStatus } from '../../api/execution.js';
import type { ExecutionEvent } from '../../api/execution.js';

/** Where each status may go next. Terminal statuses go nowhere. */
export const TRANSITIONS = {
  created: ['started', 'cancelled', 'errored'],
  started: ['validated', 'cancelled', 'errored'],
  validated: ['running', 'cancelled', 'errored'],
  running: ['done', 'errored', 'cancelled', 'waiting'],
  waiting: ['running', 'cancelled', 'errored'],
  done: [],
  errored: [],
  cancelled: [],
} as const satisfies Record<ExecutionStatus, readonly ExecutionStatus[]>;

/** Whether the table allows `from → to`. */
export function canTransition(from: ExecutionStatus, to: ExecutionStatus): boolean {
  return (TRANSITIONS[from] as readonly ExecutionStatus[]).includes(to);
}

/** A status change, possibly several steps at once (e.g. `created → started → validated → running`). */
export interface Transition {
  id: string;
  functionName: string;
  from: ExecutionStatus;
  /** The next status, or the statuses to pass through in order. */
  to: ExecutionStatus | readonly ExecutionStatus[];
  /** Epoch ms of the change. */
  at: number;
  /** Other columns to set (already encoded for the database). */
  patch?: Record<string, unknown>;
  /**
   * Extra conditions on the row, column = value (`null`: IS NULL), e.g. "the worker and heartbeat we
   * read"; failing them is a lost race.
   */
  where?: Record<string, unknown>;
  /** Data recorded with the last step's event. */
  data?: unknown;
  /** Further events recorded in the same unit (e.g. a `retry` beside the `running → waiting` step). */
  extraEvents?: Array<{ kind: ExecutionEvent['kind']; data?: unknown }>;
}

/** A transition ready to run, possibly together with other statements in one unit. */
export interface PlannedTransition {
  statements: Statement[];
  /** The event rows the unit inserts, in order. */
  eventRows: Record<string, unknown>[];
  /** The recorded events, given the insert ids of the unit's event rows in order. */
  events(eventIds: number[]): ExecutionEvent[];
}

type Step = { from: ExecutionStatus | null; to: ExecutionStatus };

/** Checks every step of `path` from `from` against the table. */
function checkPath(id: string, from: ExecutionStatus, path: readonly ExecutionStatus[]): Step[] {
  const steps: Step[] = [];
  let at = from;
  for (const to of path) {
    if (!canTransition(at, to)) throw new IllegalTransition(id, at, to, from);
    steps.push({ from: at, to });
    at = to;
  }
  return steps;
}

/**
 * Checks `t` against the table and plans its statements: the conditional update first (it must
 * affect exactly one row), then one event row per step (one insert).
 * @throws IllegalTransition when the table forbids a step.
 */
export function planTransition(columns: Columns, t: Transition): PlannedTransition {
  const steps = checkPath(t.id, t.from, typeof t.to === 'string' ? [t.to] : t.to);
  const update: Statement = {
    update: EXECUTIONS_TABLE,
    set: { ...t.patch, status: steps.at(-1)?.to ?? t.from, updated_at: columns.time(t.at) },
    where: { ...t.where, id: t.id, status: t.from },
    expect: 1,
  };
  return plan(columns, t, steps, update);
}

/**
 * Plans the insert of a new execution `row` straight into the last status of `path` (which starts
 * at `created`: e.g. `created → started → validated → running` for a run in the request), with one
 * event per step, the first one `→ created`.
 */
export function planCreation(
  columns: Columns, row: Record<string, unknown> & { id: string; func_name: string },
  path: readonly ExecutionStatus[], at: number,
): PlannedTransition {
  if (path[0] !== 'created') throw new IllegalTransition(row.id, 'created', path[0] ?? 'created', null);
  const steps: Step[] = [{ from: null, to: 'created' }, ...checkPath(row.id, 'created', path.slice(1))];
  const insert: Statement = { insert: EXECUTIONS_TABLE, rows: [{ ...row, status: steps.at(-1)!.to, created_at: columns.time(at), updated_at: columns.time(at) }] };
  return plan(columns, { id: row.id, functionName: row.func_name, from: 'created', to: path, at }, steps, insert);
}

/**
 * A planned creation as plain inserts (the execution row, then its event rows), for a group commit.
 * Event ids come back as the second part's.
 */
export function creationParts(planned: PlannedTransition): InsertPart[] {
  return planned.statements.map((statement) => {
    if (!('insert' in statement)) throw new TypeError('creationParts: a creation plans inserts only');
    return { table: statement.insert, rows: statement.rows };
  });
}

function plan(columns: Columns, t: Transition, steps: Step[], change: Statement): PlannedTransition {
  const at = columns.time(t.at);
  const rows = [
    ...steps.map((step, i) => ({
      execution_id: t.id, func_name: t.functionName, at, kind: 'status',
      from_status: step.from, to_status: step.to, data_json: i === steps.length - 1 ? columns.json(t.data) : null,
    })),
    ...(t.extraEvents ?? []).map((extra) => ({
      execution_id: t.id, func_name: t.functionName, at, kind: extra.kind, from_status: null, to_status: null,
      data_json: columns.json(extra.data),
    })),
  ];
  const iso = new Date(t.at).toISOString();
  return {
    statements: [change, { insert: EVENTS_TABLE, rows }],
    eventRows: rows,
    events: (ids) => [
      ...steps.map((step, i): ExecutionEvent => ({
        id: ids[i] ?? 0, executionId: t.id, functionName: t.functionName, at: iso, kind: 'status',
        ...(step.from ? { from: step.from } : {}), to: step.to,
        ...(i === steps.length - 1 && t.data !== undefined ? { data: t.data } : {}),
      })),
      ...(t.extraEvents ?? []).map((extra, i): ExecutionEvent => ({
        id: ids[steps.length + i] ?? 0, executionId: t.id, functionName: t.functionName, at: iso, kind: extra.kind,
        ...(extra.data !== undefined ? { data: extra.data } : {}),
      })),
    ],
  };
}

/**
 * Applies `t`: checks the table, writes conditionally, records the events, all or nothing.
 * @returns the recorded events.
 * @throws IllegalTransition (forbidden, or lost a race: `details.current` says what won),
 *   ExecutionNotFound.
 */
export async function transition(knex: Knex, columns: Columns, t: Transition): Promise<ExecutionEvent[]> {
  const planned = planTransition(columns, t);
  const results = await atomically(knex, planned.statements);
  if (results) return planned.events(results[1]!.insertIds);
  const row = await knex(EXECUTIONS_TABLE).where({ id: t.id }).first('status');
  if (!row) throw new ExecutionNotFound(t.id);
  const to = typeof t.to === 'string' ? t.to : t.to[t.to.length - 1] ?? t.from;
  throw new IllegalTransition(t.id, t.from, to, row.status as string);
}
