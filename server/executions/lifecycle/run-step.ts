/**
 * Running a claimed execution (started, validated or running) as far as it goes on this worker: its
 * `validate` hook, then the function (or its `poll` hook), under a timeout, an abort signal and one
 * heartbeat; what came of it is recorded by `end-step`.
 */
import { Cancelled, IllegalTransition, Timeout } from '../../errors.js';
import type { BoundFunction } from '../../registry/bound-registry.js';
import type { HookContext } from '../../registry/function-options.js';
import { runInExecution } from '../current-execution.js';
import type { AdvanceResult } from '../executions-service.js';
import { oversizeOutput } from '../output-size.js';
import { isPending, type Pending } from '../pending.js';
import { RunAbort } from '../run-abort.js';
import { toStorableOutput } from '../storable-output.js';
import type { ExecutionRecord } from '../store/execution-record.js';
import { endStep, failStep } from './end-step.js';
import { startHeartbeat, type HeartbeatOptions } from './heartbeat.js';
import type { Lifecycle } from './lifecycle.js';
import { move, reread } from './move.js';
import { currentFor } from './progress.js';

/** How a claimed execution runs here. */
export interface RunControl {
  heartbeat: HeartbeatOptions;
  /** Aborting it aborts the function (a worker shutting down). */
  signal?: AbortSignal;
  timeoutMs?: number;
  /** False in the request: a failure errors at once. */
  allowRetry: boolean;
}

export async function runStep(
  lc: Lifecycle,
  fn: BoundFunction,
  record: ExecutionRecord,
  control: RunControl,
): Promise<AdvanceResult> {
  const id = record.id;
  const abort = new RunAbort();
  lc.running.set(id, abort);
  const abortFromCaller = () => abort.abort(control.signal?.reason);
  if (control.signal?.aborted) abortFromCaller();
  control.signal?.addEventListener('abort', abortFromCaller, { once: true });
  const timeout =
    control.timeoutMs === undefined
      ? undefined
      : setTimeout(() => abort.abort(new Timeout(control.timeoutMs!)), control.timeoutMs);
  timeout?.unref();
  const stopBeating = startHeartbeat(lc, id, abort, control.heartbeat);
  const context: HookContext = {
    id,
    functionName: fn.name,
    input: record.input,
    user: record.user,
    get signal() {
      return abort.signal;
    },
  };
  try {
    if (record.status === 'started') {
      try {
        await abort.race(Promise.resolve().then(() => fn.options.validate?.(record.input, context)));
      } catch (err) {
        if (abort.reason instanceof Cancelled) return await reread(lc, id);
        return await failStep(lc, fn, record, err, context, false);
      }
      await move(lc, record, { from: 'started', to: ['validated', 'running'], at: Date.now() });
    } else if (record.status === 'validated') {
      await move(lc, record, { from: 'validated', to: 'running', at: Date.now() });
    }
    return await callFunction(lc, fn, record, context, abort, control.allowRetry);
  } catch (err) {
    if (err instanceof IllegalTransition) return await reread(lc, id);
    throw err;
  } finally {
    await stopBeating();
    if (timeout) clearTimeout(timeout);
    control.signal?.removeEventListener('abort', abortFromCaller);
    lc.running.delete(id);
  }
}

/** Calls the function (or its `poll` hook) and records what came of it. */
async function callFunction(
  lc: Lifecycle,
  fn: BoundFunction,
  record: ExecutionRecord,
  context: HookContext,
  abort: RunAbort,
  allowRetry: boolean,
): Promise<AdvanceResult> {
  const { current, writer } = currentFor(lc, record, abort);
  const poll = record.waitKind === 'poll' ? fn.options.poll : undefined;
  let result: unknown;
  let thrown: { error: unknown } | undefined;
  try {
    // A synchronous throw lands in the catch below as a rejection would.
    result = await abort.race(
      Promise.resolve(
        runInExecution(current, () =>
          poll ? poll(current.state, context) : fn.fn(...fn.toArguments(context.input)),
        ),
      ),
    );
  } catch (err) {
    thrown = { error: err };
  }
  await writer.close();
  if (abort.reason instanceof Cancelled) return reread(lc, record.id);
  if (thrown) return failStep(lc, fn, record, thrown.error, context, allowRetry);
  const pending = isPending(result);
  let value: unknown;
  try {
    value = toStorableOutput(pending ? (result as Pending).state : result);
  } catch (err) {
    return failStep(lc, fn, record, err, context, false);
  }
  const tooLarge = oversizeOutput(
    JSON.stringify(value) ?? null,
    lc.limits.maxOutputBytes,
    pending ? 'state' : 'output',
  );
  if (tooLarge) return failStep(lc, fn, record, tooLarge, context, false);
  if (pending)
    return endStep(
      lc,
      fn,
      record,
      { kind: 'pending', after: (result as Pending).after },
      { state: value ?? null },
    );
  return endStep(lc, fn, record, { kind: 'returned' }, { output: value ?? null });
}
