/**
 * What a running function reports: `currentExecution()` (progress and checkpoints, stored through a
 * throttled writer while the execution is still running) for the function it calls.
 */
import type { ExecutionProgress } from '../../../api/execution.js';
import type { CurrentExecution } from '../current-execution.js';
import { oversizeOutput } from '../output-size.js';
import { ProgressWriter, type ProgressSink } from '../progress-writer.js';
import type { RunAbort } from '../run-abort.js';
import { toStorableOutput } from '../storable-output.js';
import type { EventDraft, ExecutionRecord, RecordPatch } from '../store/execution-record.js';
import { toWellFormed } from '../../well-formed-text.js';
import type { Lifecycle } from './lifecycle.js';
import { note } from './move.js';

/** The running function's view of its execution, and the writer to close once it returns. */
export function currentFor(
  lc: Lifecycle,
  record: ExecutionRecord,
  abort: RunAbort,
): { current: CurrentExecution; writer: ProgressWriter } {
  const writer = new ProgressWriter(progressSink(lc, record), lc.limits.progressThrottleMs);
  const maxStateBytes = lc.limits.maxOutputBytes;
  let state = record.state;
  const current: CurrentExecution = {
    id: record.id,
    get signal() {
      return abort.signal;
    },
    attempt: record.attempts,
    get state() {
      return state;
    },
    progress(fraction: number, message?: string) {
      if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) {
        throw new RangeError(`progress(): fraction must be a number from 0 to 1, got ${fraction}`);
      }
      // A lone surrogate would be stored by one database and refused by another: shown as U+FFFD on all.
      writer.progress(
        message === undefined ? { fraction } : { fraction, message: toWellFormed(String(message)) },
      );
    },
    checkpoint(next: unknown) {
      const value = toStorableOutput(next);
      // Refused at once, so the function hears of it; the stored state stays the last one accepted.
      const tooLarge = oversizeOutput(JSON.stringify(value), maxStateBytes, 'state');
      if (tooLarge) throw tooLarge;
      state = value;
      writer.checkpoint(state);
    },
  };
  return { current, writer };
}

/** Stores progress and checkpoints with their events while the execution is running; a failure is logged, not thrown. */
function progressSink(lc: Lifecycle, record: ExecutionRecord): ProgressSink {
  return async ({ progress, state }) => {
    const patch: RecordPatch = {};
    const events: EventDraft[] = [];
    if (progress) {
      patch.progress = progress;
      events.push({ kind: 'progress', data: progress satisfies ExecutionProgress });
    }
    if (state) {
      patch.state = state.value;
      events.push({ kind: 'checkpoint', data: { state: state.value } });
    }
    try {
      // No longer running (cancelled): nothing to report.
      await note(lc, record, 'running', Date.now(), events, patch);
    } catch (err) {
      lc.logger?.warn({ err, executionId: record.id }, 'could not store progress');
    }
  };
}
