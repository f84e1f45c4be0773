/**
 * Storing a new execution before anything runs: `created` (a background run), or straight through
 * `created → started [→ validated → running]` already claimed by this process (a run in the
 * request), with one event per step, in one commit. A keyed create whose key is taken answers the
 * stored execution instead, when it is the same request.
 */
import type { BoundFunction } from '../../registry/bound-registry.js';
import type { ExecutionStatus } from '../../../api/execution.js';
import type { CreateOptions } from '../executions-service.js';
import { newExecutionId } from '../execution-id.js';
import { checkSameRequest } from '../idempotent-retry.js';
import { invalidOption } from '../invalid-option.js';
import { checkInputSize } from '../output-size.js';
import type { RerunOrigin } from '../resume-decision.js';
import type { ExecutionRecord } from '../store/execution-record.js';
import { creationEvents, endOf } from '../transitions.js';
import type { Lifecycle } from './lifecycle.js';

const MAX_KEY_LENGTH = 200;
const MAX_USER_LENGTH = 191;

/** A new execution: stored (`existing` false), or the one already stored under its idempotency key. */
export interface Created {
  record: ExecutionRecord;
  existing: boolean;
}

/**
 * Stores a new execution of `fn` with a validated `input`; `origin` makes it a rerun (starting from
 * `origin.state` when resumed); `claim` stores it claimed by `claim.workerId`, moved along
 * `claim.path`. Resolves once committed.
 * @throws ValidationError (user, key or input size), IdempotencyKeyReused
 */
export async function createRun(
  lc: Lifecycle,
  fn: BoundFunction,
  input: Record<string, unknown>,
  options: CreateOptions,
  origin: RerunOrigin | null,
  claim: { path: readonly ExecutionStatus[]; workerId: string } | null,
): Promise<Created> {
  const user = checkUser(options.user);
  const key = scopedKey(user, options.idempotencyKey);
  checkInputSize(JSON.stringify(input), lc.limits.maxInputBytes);
  // The version this run records is in the versions table before the run is.
  await lc.versionsRecorded();
  const now = Date.now();
  const record: ExecutionRecord = {
    id: newExecutionId(),
    functionName: fn.name,
    mode: fn.mode,
    status: claim ? endOf(claim.path) : 'created',
    input,
    output: null,
    error: null,
    traceback: null,
    // A resumed rerun starts from its original's checkpoint, as a retry does.
    state: origin?.state ?? null,
    progress: null,
    user,
    attempts: claim ? 1 : 0,
    createdAt: now,
    updatedAt: now,
    startedAt: claim ? now : null,
    finishedAt: null,
    rerunOf: origin?.rerunOf ?? null,
    workerId: claim?.workerId ?? null,
    heartbeatAt: claim ? now : null,
    nextRunAt: null,
    waitKind: null,
    idempotencyKey: key,
    functionVersion: fn.version,
    scheduleId: options.scheduleId ?? null,
  };
  const resumed = origin && origin.state !== null ? { resumedFrom: origin.rerunOf } : undefined;
  const stored = await lc.store.insert(record, creationEvents(record.id, claim?.path ?? [], resumed));
  if ('existing' in stored) {
    // The stored request, not an answer (which may leave out or mask inputs).
    checkSameRequest(
      { id: stored.existing.id, functionName: stored.existing.functionName, input: stored.existing.input },
      fn.name,
      input,
      options.idempotencyKey!,
    );
    return { record: stored.existing, existing: true };
  }
  lc.bus.emit(stored.events, record);
  return { record, existing: false };
}

function checkUser(user: string | null | undefined): string | null {
  if (user === undefined || user === null) return null;
  if (typeof user !== 'string' || user.length > MAX_USER_LENGTH)
    throw invalidOption('/user', `must be a string of at most ${MAX_USER_LENGTH} characters`, 'maxLength');
  return user;
}

/** The key as stored: scoped to its user, so two users' keys never meet. */
function scopedKey(user: string | null, key: string | null | undefined): string | null {
  if (key === undefined || key === null) return null;
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw invalidOption(
      '/idempotencyKey',
      `must be a string of 1 to ${MAX_KEY_LENGTH} characters`,
      'maxLength',
    );
  }
  return JSON.stringify([user, key]);
}
