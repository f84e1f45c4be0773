/**
 * The state machine: one transition table, and the events a status change records (one per step,
 * checked against the table). Pure: the store writes them.
 */
import { IllegalTransition } from '../errors.js';
import type { ExecutionStatus } from '../../api/execution.js';
import type { EventDraft } from './store/execution-record.js';

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

/** The statuses to pass through: one, or several in order (e.g. `started → validated → running`). */
export type Path = ExecutionStatus | readonly ExecutionStatus[];

/** The last status of `path`. */
export function endOf(path: Path): ExecutionStatus {
  return typeof path === 'string' ? path : path[path.length - 1]!;
}

/**
 * The status events of moving execution `id` from `from` along `path`, `data` on the last one.
 * @throws IllegalTransition when the table forbids a step.
 */
export function transitionEvents(
  id: string,
  from: ExecutionStatus,
  path: Path,
  data?: unknown,
): EventDraft[] {
  const steps = typeof path === 'string' ? [path] : path;
  if (steps.length === 0) throw new IllegalTransition(id, from, from, from);
  let at = from;
  return steps.map((to, i) => {
    if (!canTransition(at, to)) throw new IllegalTransition(id, at, to, from);
    const event: EventDraft = {
      kind: 'status',
      from: at,
      to,
      ...(i === steps.length - 1 && data !== undefined ? { data } : {}),
    };
    at = to;
    return event;
  });
}

/**
 * The events of a new execution stored straight into the end of `path` (after `created`): `→ created`
 * (with `data`, e.g. `{ resumedFrom }` for a resumed rerun), then each step.
 */
export function creationEvents(id: string, path: readonly ExecutionStatus[], data?: unknown): EventDraft[] {
  const created: EventDraft = {
    kind: 'status',
    from: null,
    to: 'created',
    ...(data !== undefined ? { data } : {}),
  };
  return path.length === 0 ? [created] : [created, ...transitionEvents(id, 'created', path)];
}
