/**
 * Answering a retry of a request that carried an idempotency key (draft-ietf-httpapi-idempotency-key-
 * header): the same request gets the first one's answer, a run in the request once it has ended;
 * another request under the same key is refused, never answered with somebody else's execution.
 */
import { isDeepStrictEqual } from 'node:util';
import { IdempotencyKeyReused } from '../errors.js';
import type { Execution } from '../../api/execution.js';
import type { ExecutionListener } from './executions-service.js';

/** Statuses of a run in the request that has not answered its caller yet. */
const UNANSWERED: ReadonlySet<string> = new Set(['created', 'started', 'validated', 'running']);
/** Default pause between reads of the store while waiting (the first run may be in another process). */
const POLL_MS = 250;
/** Time past the function's timeout for the first run to write how it ended. */
const FINAL_WRITE_GRACE_MS = 1_000;

/**
 * Throws `IdempotencyKeyReused` unless the stored execution is of `functionName` with this input.
 * Inputs are compared as the JSON they are stored as (key order and `-0` do not matter).
 */
export function checkSameRequest(
  stored: { id: string; functionName: string; input: unknown },
  functionName: string,
  input: unknown,
  key: string,
): void {
  if (
    stored.functionName !== functionName ||
    !isDeepStrictEqual(stored.input, JSON.parse(JSON.stringify(input)))
  ) {
    throw new IdempotencyKeyReused(key, stored.id, stored.functionName);
  }
}

/** Options of {@link awaitAnswer}. */
export interface AwaitAnswerOptions {
  /** Reads the execution from the store. */
  read(): Promise<Execution>;
  /** The service's in-process change feed (answers at once when the first run is in this process). */
  subscribe(listener: ExecutionListener): () => void;
  /** The function's timeout: the first run ends by then (plus a short grace to record it). */
  timeoutMs: number;
  /** Pause between reads of the store; default 250 ms. */
  pollMs?: number;
}

/**
 * `execution` once its run in the request has answered (done, errored, cancelled or waiting), or as
 * it stands when the function's timeout (plus a grace) has passed without that.
 */
export function awaitAnswer(execution: Execution, options: AwaitAnswerOptions): Promise<Execution> {
  if (!UNANSWERED.has(execution.status)) return Promise.resolve(execution);
  const deadline = Date.now() + options.timeoutMs + FINAL_WRITE_GRACE_MS;
  const pollMs = options.pollMs ?? POLL_MS;
  return new Promise<Execution>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe();
      outcome();
    };
    // Subscribed before the first read, so an end between the two is not missed.
    const unsubscribe = options.subscribe((_event, changed) => {
      if (changed.id === execution.id && !UNANSWERED.has(changed.status)) settle(() => resolve(changed));
    });
    const poll = () => {
      options.read().then(
        (current) => {
          if (!UNANSWERED.has(current.status) || Date.now() >= deadline) settle(() => resolve(current));
          else if (!settled) timer = setTimeout(poll, Math.max(0, Math.min(pollMs, deadline - Date.now())));
        },
        (err: unknown) => settle(() => reject(err)),
      );
    };
    poll();
  });
}
