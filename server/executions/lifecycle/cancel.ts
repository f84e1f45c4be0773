/**
 * Cancelling: any pending execution may be cancelled, wherever it runs. The cancel is stored first;
 * a run in this process is then aborted (one elsewhere sees it on its next heartbeat), and the
 * function's `cancel` hook, if any, is called with its last state.
 */
import { Cancelled, IllegalTransition } from '../../errors.js';
import { isTerminal } from '../../../api/execution.js';
import { shapeError } from '../error-shape.js';
import type { ChangeOptions } from '../executions-service.js';
import type { ExecutionRecord } from '../store/execution-record.js';
import { toExecution } from '../store/execution-record.js';
import type { Execution } from '../../../api/execution.js';
import type { Lifecycle } from './lifecycle.js';
import { move, note } from './move.js';
import { visible } from './visibility.js';

export async function cancel(lc: Lifecycle, id: string, options: ChangeOptions): Promise<Execution> {
  for (;;) {
    const record = visible(await lc.store.get(id), id, options);
    const from = record.status;
    if (isTerminal(from)) throw new IllegalTransition(id, from, 'cancelled');
    const now = Date.now();
    try {
      await move(lc, record, {
        from,
        to: 'cancelled',
        at: now,
        data: { user: options.user ?? null },
        patch: { finishedAt: now, workerId: null, nextRunAt: null, waitKind: null },
      });
    } catch (err) {
      // It moved on between our read and our write; look again (it may have finished).
      if (err instanceof IllegalTransition && err.details.current !== from) continue;
      throw err;
    }
    lc.running.get(id)?.abort(new Cancelled(id));
    await cancelHook(lc, record);
    return toExecution(record);
  }
}

/** Calls the function's `cancel` hook; a failing hook is logged and recorded as a `cancel-hook-failed` event. */
async function cancelHook(lc: Lifecycle, record: ExecutionRecord): Promise<void> {
  const fn = lc.functions.get(record.functionName);
  if (!fn?.options.cancel) return;
  const id = record.id;
  const context = {
    id,
    functionName: fn.name,
    input: record.input,
    user: record.user,
    signal: AbortSignal.abort(new Cancelled(id)),
  };
  try {
    await fn.options.cancel(record.state, context);
  } catch (err) {
    lc.logger?.error({ err, executionId: id }, 'cancel hook failed');
    const { error } = await shapeError(err, {}, { ...context, user: null, signal: AbortSignal.abort() });
    await note(lc, record, 'cancelled', Date.now(), [{ kind: 'cancel-hook-failed', data: { error } }]);
  }
}
