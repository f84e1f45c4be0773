/**
 * Recording how a run's step ended: its result, a pending state, a retry or an error. The end is
 * written like any transition, conditional on this worker's claim; a write the database keeps
 * refusing is tried again, then recorded as `StorageUnavailable` (or `OutputTooLarge`) instead, and
 * when even that cannot be written the end is kept for the next `advance`, which writes it rather
 * than run the function again.
 */
import { ExecutionNotFound, IllegalTransition, OutputTooLarge, StorageUnavailable } from '../../errors.js';
import type { BoundFunction } from '../../registry/bound-registry.js';
import type { HookContext } from '../../registry/function-options.js';
import type { ExecutionStatus } from '../../../api/execution.js';
import { shapeError } from '../error-shape.js';
import type { AdvanceResult } from '../executions-service.js';
import { FINAL_WRITE_RETRY, isRetryable, isTooLargeForDatabase, writeWithRetries } from '../final-write.js';
import { decideOutcome, type OutcomePolicy, type StepEnd, type StepOutcome } from '../outcome-decision.js';
import { jsonBytes, oversizeOutput } from '../output-size.js';
import { toExecution, type ExecutionRecord, type RecordPatch } from '../store/execution-record.js';
import type { Lifecycle } from './lifecycle.js';
import { move, reread, type Move } from './move.js';

/** Records a failure of `record`'s step: a retry when attempts remain (and `retryable`), else `errored`. */
export async function failStep(
  lc: Lifecycle,
  fn: BoundFunction,
  record: ExecutionRecord,
  thrown: unknown,
  context: HookContext,
  retryable: boolean,
): Promise<AdvanceResult> {
  const described = await shapeError(thrown, fn.options, context, lc.logger);
  // An error too big to store (huge details) is stored as what it is: too big.
  const tooLarge = oversizeOutput(JSON.stringify(described.error), lc.limits.maxOutputBytes, 'error');
  const error = tooLarge ? tooLarge.toJSON() : described.error;
  return endStep(
    lc,
    fn,
    record,
    { kind: 'failed', error, retryable },
    { error, traceback: described.traceback },
  );
}

/** Decides where `outcome` takes `record` and writes it; `stored` is what the step leaves (output, state, or error). */
export async function endStep(
  lc: Lifecycle,
  fn: BoundFunction,
  record: ExecutionRecord,
  outcome: StepOutcome,
  stored: RecordPatch,
): Promise<AdvanceResult> {
  const now = Date.now();
  const end = decideOutcome(
    outcome,
    { status: record.status, attempts: record.attempts },
    outcomePolicy(fn),
    now,
  );
  return writeEnd(lc, record, endMove(record.status, end, now, stored));
}

/**
 * Writes the end of a run's step, with retries and the fallbacks above. Only this claim may end the
 * run: one handed back or taken over meanwhile loses.
 * @throws IllegalTransition (lost a race), StorageUnavailable (nothing could be written)
 */
export async function writeEnd(lc: Lifecycle, record: ExecutionRecord, end: Move): Promise<AdvanceResult> {
  const id = record.id;
  const claimed: Move = { ...end, expect: { ...end.expect, workerId: record.workerId } };
  const retry = lc.limits.finalWriteRetry;
  const onRetry = (err: unknown, attempt: number) =>
    lc.logger?.warn({ err, executionId: id, attempt }, 'could not record the end of a run; trying again');
  let failure: unknown;
  try {
    await writeWithRetries(() => move(lc, record, claimed), retry, onRetry);
    lc.unwritten.forget(id);
    return { execution: toExecution(record), next: nextOf(end) };
  } catch (err) {
    if (err instanceof IllegalTransition || err instanceof ExecutionNotFound) {
      lc.unwritten.forget(id);
      throw err;
    }
    failure = err;
  }
  const attempts = Math.max(1, retry.attempts ?? FINAL_WRITE_RETRY.attempts);
  const tooLarge = isTooLargeForDatabase(failure);
  const instead = tooLarge
    ? new OutputTooLarge(storedKind(end), storedBytes(end), null)
    : new StorageUnavailable(attempts, failure);
  lc.logger?.error(
    { err: failure, executionId: id },
    `could not record the end of a run: recording ${instead.type} instead`,
  );
  const errored: Move = {
    from: end.from,
    to: 'errored',
    at: end.at,
    data: { error: instead.toJSON() },
    expect: claimed.expect,
    patch: { error: instead.toJSON(), traceback: null, finishedAt: end.at, ...RELEASED },
  };
  try {
    await writeWithRetries(() => move(lc, record, errored), retry, onRetry);
    lc.unwritten.forget(id);
    return { execution: toExecution(record), next: 'done' };
  } catch (err) {
    if (!isRetryable(err)) {
      lc.unwritten.forget(id);
      throw err;
    }
    // The database is down: keep the end (the real one, unless it can never be stored) for the next try.
    lc.unwritten.keep(id, { record, move: tooLarge ? errored : end });
    lc.logger?.error(
      { err, executionId: id },
      'could not record the end of a run; it is written on the next advance',
    );
    throw new StorageUnavailable(attempts, err);
  }
}

/** Writes the kept end of `id` (on `advance`, or on its own): never runs the function again. */
export function writeKeptEnd(lc: Lifecycle, id: string): Promise<AdvanceResult> {
  return lc.unwritten.once(id, async () => {
    const kept = lc.unwritten.get(id);
    if (!kept) return reread(lc, id); // written meanwhile
    try {
      return await writeEnd(lc, kept.record, kept.move);
    } catch (err) {
      if (err instanceof IllegalTransition) return reread(lc, id);
      throw err;
    }
  });
}

/** A kept end's own retry: refreshes the claim first, so that no other worker takes the run over meanwhile. */
export async function retryKeptEnd(lc: Lifecycle, id: string): Promise<void> {
  const kept = lc.unwritten.get(id);
  if (!kept) return;
  await lc.store.heartbeat(id, kept.record.workerId!, Date.now()).catch(() => false);
  await writeKeptEnd(lc, id);
}

/** Errors `record` without running anything (its function is gone, or its workers keep dying). */
export async function giveUp(
  lc: Lifecycle,
  record: ExecutionRecord,
  error: Error,
  expect?: Move['expect'],
): Promise<AdvanceResult> {
  const described = await shapeError(
    error,
    {},
    { id: record.id, functionName: record.functionName, input: {}, user: null, signal: AbortSignal.abort() },
  );
  const now = Date.now();
  try {
    await move(lc, record, {
      from: record.status,
      to: 'errored',
      at: now,
      expect,
      data: { error: described.error },
      patch: {
        error: described.error,
        traceback: described.traceback,
        finishedAt: now,
        workerId: null,
        nextRunAt: null,
        waitKind: null,
      },
    });
  } catch (err) {
    if (err instanceof IllegalTransition) return reread(lc, record.id);
    throw err;
  }
  return { execution: toExecution(record), next: 'done' };
}

/** A run that stops running here gives up its claim and is due at no particular time. */
const RELEASED = { workerId: null, heartbeatAt: null, nextRunAt: null, waitKind: null } as const;

/** The decided end of a step as a move from `from`, storing `stored`; the claim is released. */
function endMove(from: ExecutionStatus, end: StepEnd, at: number, stored: RecordPatch): Move {
  switch (end.to) {
    case 'done':
      return {
        from,
        to: 'done',
        at,
        patch: {
          ...stored,
          error: null,
          traceback: null,
          finishedAt: at,
          workerId: null,
          nextRunAt: null,
          waitKind: null,
        },
      };
    case 'waiting': {
      const patch: RecordPatch = {
        ...stored,
        nextRunAt: end.nextRunAt,
        waitKind: end.waitKind,
        workerId: null,
        heartbeatAt: null,
      };
      if (end.waitKind !== 'retry') return { from, to: 'waiting', at, data: { after: end.after }, patch };
      return {
        from,
        to: 'waiting',
        at,
        patch,
        extraEvents: [{ kind: 'retry', data: { attempt: end.attempt, after: end.after, error: end.error } }],
      };
    }
    case 'errored':
      return {
        from,
        to: 'errored',
        at,
        data: { error: end.error },
        patch: { ...stored, finishedAt: at, workerId: null, nextRunAt: null, waitKind: null },
      };
  }
}

function nextOf(end: Move): AdvanceResult['next'] {
  if (end.to !== 'waiting') return 'done';
  return end.patch?.waitKind === 'retry' ? 'retry' : 'wait';
}

/** What an end stores besides statuses: a result, a pending state, or an error (also a retry's). */
function storedKind(end: Move): 'output' | 'state' | 'error' {
  if (end.to === 'done') return 'output';
  return end.to === 'waiting' && end.patch?.waitKind !== 'retry' ? 'state' : 'error';
}

/** The bytes of JSON an end stores. */
function storedBytes(end: Move): number {
  let bytes = 0;
  for (const value of [end.patch?.output, end.patch?.state, end.patch?.error]) {
    if (value !== undefined && value !== null) bytes += jsonBytes(JSON.stringify(value));
  }
  return bytes;
}

/** The options of `fn` that decide how a step ends. */
function outcomePolicy(fn: BoundFunction): OutcomePolicy {
  return {
    retries: fn.options.retries,
    backoff: fn.options.backoff,
    pollEvery: fn.options.pollEvery,
    hasPoll: Boolean(fn.options.poll),
  };
}
