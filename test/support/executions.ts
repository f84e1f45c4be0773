/** Helpers for executions tests: waiting for a real event (bounded), gates a test opens, records to store. */
import type { Knex } from 'knex';
import type { Executions, ExecutionEvent, Execution } from '../../server/executions/index.js';
import { EventBus } from '../../server/executions/lifecycle/event-bus.js';
import { move, type Move } from '../../server/executions/lifecycle/move.js';
import type { ExecutionRecord } from '../../server/executions/store/execution-record.js';
import { KnexExecutionStore } from '../../server/executions/store/knex-execution-store.js';
import { newExecutionId } from '../../server/executions/execution-id.js';

/** Resolves with the first event (and execution) `executions` publishes that matches, or rejects after `timeoutMs`. */
export function nextEvent(
  executions: Executions,
  match: (event: ExecutionEvent, execution: Execution) => boolean,
  timeoutMs = 5000,
): Promise<{ event: ExecutionEvent; execution: Execution }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no matching event within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = executions.subscribe((event, execution) => {
      if (!match(event, execution)) return;
      clearTimeout(timer);
      stop();
      resolve({ event, execution });
    });
  });
}

/** A promise a test resolves by hand. */
export interface Gate {
  promise: Promise<void>;
  open(): void;
}

/** A closed {@link Gate}. */
export function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Resolves when `signal` aborts, or rejects after `timeoutMs`. */
export function aborted(signal: AbortSignal, timeoutMs = 5000): Promise<unknown> {
  if (signal.aborted) return Promise.resolve(signal.reason);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`signal not aborted within ${timeoutMs} ms`)), timeoutMs);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve(signal.reason);
      },
      { once: true },
    );
  });
}

/**
 * Moves a stored execution through the state machine the way the lifecycle does (the table, the
 * conditional change and its events in one commit), for tests that put executions in a status.
 */
export async function moveStored(
  knex: Knex,
  t: { id: string; functionName: string } & Move,
): Promise<ExecutionEvent[]> {
  const store = new KnexExecutionStore(knex);
  const record = (await store.get(t.id)) ?? ({ id: t.id, functionName: t.functionName } as ExecutionRecord);
  return move({ store, bus: new EventBus(undefined) }, record, t);
}

/** A stored execution's record for tests: a `created` run of `work` made now, `fields` over it. */
export function testRecord(fields: Partial<ExecutionRecord> = {}): ExecutionRecord {
  const now = Date.now();
  return {
    id: newExecutionId(),
    functionName: 'work',
    mode: 'async',
    status: 'created',
    input: { n: 1 },
    output: null,
    error: null,
    traceback: null,
    state: null,
    progress: null,
    user: null,
    attempts: 0,
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    finishedAt: null,
    rerunOf: null,
    workerId: null,
    heartbeatAt: null,
    nextRunAt: null,
    waitKind: null,
    idempotencyKey: null,
    functionVersion: null,
    scheduleId: null,
    ...fields,
  };
}
