/**
 * Applying what the live stream says to the execution an element shows. Each message of the API's
 * streams is one timeline event (`ExecutionEvent`); it is patched in at once, and `reload` tells the
 * element when it must fetch the execution again (it ended, so its output or error is needed).
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

/**
 * Patches `execution` (whole, or a list's summary) with one event of a stream; an event of another
 * execution, or one already in its timeline, changes nothing.
 */
export function applyStreamEvent<E extends ExecutionSummary = Execution>(
  execution: E,
  event: ExecutionEvent,
): AppliedData<E> {
  if (event.executionId !== execution.id) return { execution, reload: false };
  const shown = execution as E & { events?: ExecutionEvent[] };
  const events =
    shown.events && !shown.events.some((e) => e.id === event.id) ? [...shown.events, event] : shown.events;
  if (event.kind === 'status' && event.to !== undefined) {
    const next = { ...execution, status: event.to, updatedAt: event.at, events } as E;
    return { execution: next, reload: isFinalStatus(event.to) };
  }
  if (event.kind === 'progress') {
    return {
      execution: { ...execution, progress: event.data as Execution['progress'], events },
      reload: false,
    };
  }
  return { execution: { ...execution, events }, reload: false };
}
