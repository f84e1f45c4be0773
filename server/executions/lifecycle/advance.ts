/**
 * One step of a worker (`advance`): read the execution, decide whether this worker may claim it now
 * (`claim-decision`), claim it with a write conditional on what was read, and run it.
 */
import { IllegalTransition } from '../../errors.js';
import type { AdvanceOptions, AdvanceResult } from '../executions-service.js';
import { decideClaim, HEARTBEAT_TTL_MS } from '../claim-decision.js';
import { toExecution } from '../store/execution-record.js';
import { giveUp, writeKeptEnd } from './end-step.js';
import type { Lifecycle } from './lifecycle.js';
import { load, move, note, reread } from './move.js';
import { runStep } from './run-step.js';

/** Default `timeout` of functions run in the request. */
export const SYNC_TIMEOUT_MS = 30_000;

export async function advance(lc: Lifecycle, id: string, options: AdvanceOptions): Promise<AdvanceResult> {
  if (lc.unwritten.get(id)) return writeKeptEnd(lc, id);
  const record = await load(lc, id);
  const now = Date.now();
  const ttlMs = options.heartbeatTtlMs ?? HEARTBEAT_TTL_MS;
  const fn = lc.functions.get(record.functionName);
  const decision = decideClaim(record, {
    now,
    workerId: options.workerId,
    ttlMs,
    runsHere: lc.running.has(id),
    fn: fn && { validates: Boolean(fn.options.validate), retries: fn.options.retries ?? 0 },
  });
  if (decision.kind === 'done' || decision.kind === 'not-claimed')
    return { execution: toExecution(record), next: decision.kind };
  // The claim must still be as we read it: same worker (or none) and same heartbeat.
  const asRead = { workerId: record.workerId, heartbeatAt: record.heartbeatAt };
  if (decision.kind === 'give-up')
    return giveUp(lc, record, decision.error, decision.reason === 'worker-lost' ? asRead : undefined);
  const claimed = fn!; // only an execution whose function is registered is claimed
  const claim = { workerId: options.workerId, heartbeatAt: now, attempts: decision.attempts };
  try {
    if (decision.kind === 'start') {
      await move(lc, record, {
        from: record.status,
        to: decision.path,
        at: now,
        expect: asRead,
        patch: { ...claim, startedAt: now },
      });
    } else if (decision.kind === 'resume') {
      await move(lc, record, {
        from: record.status,
        to: 'running',
        at: now,
        expect: asRead,
        patch: { ...claim, nextRunAt: null },
      });
    } else {
      // Its worker stopped heart-beating mid-run: take over, resuming from the last checkpoint.
      const data = { workerId: options.workerId, previousWorkerId: decision.previousWorkerId };
      if (!(await note(lc, record, record.status, now, [{ kind: 'takeover', data }], claim, asRead)))
        return reread(lc, id);
    }
  } catch (err) {
    if (err instanceof IllegalTransition) return reread(lc, id);
    throw err;
  }
  return runStep(lc, claimed, record, {
    heartbeat: {
      workerId: options.workerId,
      everyMs: Math.min(options.heartbeatEveryMs ?? Infinity, Math.floor(ttlMs / 3)),
      onBeat: options.onHeartbeat,
    },
    signal: options.signal,
    timeoutMs: claimed.options.timeout ?? (claimed.mode === 'sync' ? SYNC_TIMEOUT_MS : undefined),
    allowRetry: true,
  });
}
