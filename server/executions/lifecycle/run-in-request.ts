/**
 * Running a function in the request. The run is stored first, already claimed by this process
 * (`created → started [→ validated → running]`, with its events, in one commit), and its function
 * starts only once that is committed; its end is written like any other, conditional on the claim.
 * If the process dies meanwhile, the run is on record as running, and the sweep errors it or a worker
 * takes it over once its heartbeat expires.
 */
import type { BoundFunction } from '../../registry/bound-registry.js';
import type { Execution } from '../../../api/execution.js';
import { HEARTBEAT_TTL_MS, startPath } from '../claim-decision.js';
import type { CreateOptions } from '../executions-service.js';
import { awaitAnswer } from '../idempotent-retry.js';
import type { RerunOrigin } from '../resume-decision.js';
import { toExecution } from '../store/execution-record.js';
import { SYNC_TIMEOUT_MS } from './advance.js';
import { createRun } from './create-run.js';
import type { Lifecycle } from './lifecycle.js';
import { load } from './move.js';
import { runStep } from './run-step.js';

export async function runInRequest(
  lc: Lifecycle,
  fn: BoundFunction,
  input: Record<string, unknown>,
  options: CreateOptions,
  origin: RerunOrigin | null,
): Promise<Execution> {
  const timeoutMs = fn.options.timeout ?? SYNC_TIMEOUT_MS;
  const created = await createRun(lc, fn, input, options, origin, {
    path: startPath(Boolean(fn.options.validate)),
    workerId: lc.syncWorkerId,
  });
  // A retry while the first run is still going gets its final answer, as the first caller does.
  if (created.existing) {
    const id = created.record.id;
    return awaitAnswer(toExecution(created.record), {
      read: async () => toExecution(await load(lc, id)),
      subscribe: (l) => lc.bus.subscribe(l),
      timeoutMs,
    });
  }
  const heartbeat = { workerId: lc.syncWorkerId, everyMs: Math.floor(HEARTBEAT_TTL_MS / 3) };
  return (await runStep(lc, fn, created.record, { heartbeat, timeoutMs, allowRetry: false })).execution;
}
