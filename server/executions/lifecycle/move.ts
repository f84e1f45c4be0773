/**
 * Moving an execution through the state machine: the transition's events are checked against the
 * table, written with the change only if the execution is still where the caller saw it, and told
 * to subscribers once committed. The record in memory follows.
 */
import { ExecutionNotFound, IllegalTransition } from '../../errors.js';
import { isTerminal, type ExecutionEvent, type ExecutionStatus } from '../../../api/execution.js';
import type { AdvanceResult } from '../executions-service.js';
import {
  toExecution,
  type EventDraft,
  type Expected,
  type ExecutionRecord,
  type RecordPatch,
} from '../store/execution-record.js';
import { endOf, transitionEvents, type Path } from '../transitions.js';
import type { Lifecycle } from './lifecycle.js';

/** A status change of one execution. */
export interface Move {
  from: ExecutionStatus;
  to: Path;
  /** Epoch ms. */
  at: number;
  patch?: RecordPatch;
  /** Besides the status: the claim as read (a lost race otherwise). */
  expect?: Omit<Expected, 'status'>;
  /** Recorded with the last step's event. */
  data?: unknown;
  /** Further events of the same commit (e.g. a `retry` beside `running → waiting`). */
  extraEvents?: readonly EventDraft[];
}

/**
 * Applies `m` to `record`; resolves with the recorded events.
 * @throws IllegalTransition (forbidden, or lost a race: `details.current` says what won), ExecutionNotFound
 */
export async function move(
  lc: Pick<Lifecycle, 'store' | 'bus'> & Partial<Pick<Lifecycle, 'webhooks'>>,
  record: ExecutionRecord,
  m: Move,
): Promise<ExecutionEvent[]> {
  const to = endOf(m.to);
  const drafts = [...transitionEvents(record.id, m.from, m.to, m.data), ...(m.extraEvents ?? [])];
  // Completion webhooks are stored in the commit of the end: once it is written, so are they.
  const deliveries =
    (isTerminal(to) && lc.webhooks?.draftsFor(record.id, record.functionName, to, m.at)) || [];
  const events = await lc.store.change(record.id, { ...m.expect, status: m.from }, m.at, {
    functionName: record.functionName,
    status: to,
    patch: m.patch,
    events: drafts,
    ...(deliveries.length > 0 && { deliveries }),
  });
  if (!events) {
    const current = await lc.store.get(record.id);
    if (!current) throw new ExecutionNotFound(record.id);
    throw new IllegalTransition(record.id, m.from, to, current.status);
  }
  Object.assign(record, m.patch, { status: to, updatedAt: m.at });
  lc.bus.emit(events, record);
  return events;
}

/** Records events of `record` that change no status (it must still be `status`); false when it no longer is. */
export async function note(
  lc: Pick<Lifecycle, 'store' | 'bus'>,
  record: ExecutionRecord,
  status: ExecutionStatus,
  at: number,
  events: readonly EventDraft[],
  patch?: RecordPatch,
  expect?: Omit<Expected, 'status'>,
): Promise<boolean> {
  const recorded = await lc.store.change(record.id, { ...expect, status }, at, {
    functionName: record.functionName,
    patch,
    events,
  });
  if (!recorded) return false;
  Object.assign(record, patch, { updatedAt: at });
  lc.bus.emit(recorded, record);
  return true;
}

/** The stored execution of `id`. @throws ExecutionNotFound */
export async function load(lc: Pick<Lifecycle, 'store'>, id: string): Promise<ExecutionRecord> {
  const record = typeof id === 'string' ? await lc.store.get(id) : undefined;
  if (!record) throw new ExecutionNotFound(String(id));
  return record;
}

/** `advance`'s answer after a lost race: the execution as stored now. */
export async function reread(
  lc: Pick<Lifecycle, 'store'>,
  id: string,
  otherwise: AdvanceResult['next'] = 'not-claimed',
): Promise<AdvanceResult> {
  const fresh = await load(lc, id);
  return { execution: toExecution(fresh), next: isTerminal(fresh.status) ? 'done' : otherwise };
}
