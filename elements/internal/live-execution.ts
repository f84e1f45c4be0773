/**
 * Applying what the live stream says to the execution an element shows. The server may send a whole
 * execution or one timeline event; an event is patched in at once, and `reload` tells the element
 * when it must fetch the execution again (it ended, so its output or error is needed).
 */
import {
  isFinalStatus,
  type Execution,
  type ExecutionEvent,
  type ExecutionSummary,
} from '../../api/index.js';

/** The outcome of {@link applyStreamData}. */
export interface AppliedData<E extends ExecutionSummary = Execution> {
  /** The execution after the message; the same object when the message was not about it. */
  execution: E;
  /** Whether the element should fetch the full execution now. */
  reload: boolean;
}

/** The execution id a stream message is about, or undefined when it is not about one. */
export function streamExecutionId(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const record = data as Record<string, unknown>;
  const nested = record['execution'];
  if (typeof nested === 'object' && nested !== null && typeof (nested as Execution).id === 'string')
    return (nested as Execution).id;
  if (typeof record['executionId'] === 'string') return record['executionId'];
  if (typeof record['id'] === 'string' && typeof record['status'] === 'string') return record['id'];
  return undefined;
}

/**
 * Patches `execution` (whole, or a list's summary) with a stream message (a whole execution,
 * `{ execution }`, or an event).
 */
export function applyStreamData<E extends ExecutionSummary = Execution>(
  execution: E,
  data: unknown,
): AppliedData<E> {
  if (streamExecutionId(data) !== execution.id) return { execution, reload: false };
  const shown = execution as E & { events?: ExecutionEvent[] };
  const record = data as Record<string, unknown>;
  const whole = (
    typeof record['execution'] === 'object' ? record['execution'] : 'status' in record ? record : undefined
  ) as Execution | undefined;
  if (whole && typeof whole.status === 'string') {
    const merged = { ...execution, ...whole, events: whole.events ?? shown.events } as unknown as E;
    // A whole execution carries its output already, unless the server left it out.
    return { execution: merged, reload: isFinalStatus(merged.status) && !('output' in whole) };
  }
  const event = data as ExecutionEvent;
  const events =
    shown.events && !shown.events.some((e) => e.id === event.id) ? [...shown.events, event] : shown.events;
  if (event.kind === 'status' && typeof event.to === 'string') {
    const next = {
      ...execution,
      status: event.to,
      updatedAt: event.at ?? execution.updatedAt,
      events,
    } as E;
    return { execution: next, reload: isFinalStatus(event.to) };
  }
  if (event.kind === 'progress' && typeof event.data === 'object' && event.data !== null) {
    return {
      execution: { ...execution, progress: event.data as Execution['progress'], events },
      reload: false,
    };
  }
  return { execution: { ...execution, events }, reload: false };
}
