/**
 * The one heartbeat of a running execution: refreshes its claim every `everyMs` while it runs here,
 * lets the caller refresh its own lease too (`onBeat`: the worker's Agenda lock), and aborts the run
 * when the claim is gone: cancelled elsewhere, or taken over by another worker.
 */
import { Cancelled } from '../../errors.js';
import type { RunAbort } from '../run-abort.js';
import type { Lifecycle } from './lifecycle.js';

export interface HeartbeatOptions {
  workerId: string;
  everyMs: number;
  /** Called after each refreshed claim. */
  onBeat?: () => unknown;
}

/** Starts beating for execution `id`; the returned function stops it and waits for a beat under way. */
export function startHeartbeat(
  lc: Lifecycle,
  id: string,
  abort: RunAbort,
  options: HeartbeatOptions,
): () => Promise<void> {
  let beating: Promise<void> | undefined;
  const beat = async () => {
    if (await lc.store.heartbeat(id, options.workerId, Date.now())) {
      await options.onBeat?.();
      return;
    }
    if (abort.aborted) return;
    const current = await lc.store.get(id);
    abort.abort(
      current?.status === 'cancelled'
        ? new Cancelled(id)
        : new Error('Another worker took this execution over'),
    );
  };
  const timer = setInterval(
    () => {
      // One at a time: beats waiting on a locked row would otherwise pile up and drain the pool.
      if (beating) return;
      beating = beat()
        .catch((err: unknown) => lc.logger?.warn({ err, executionId: id }, 'heartbeat failed'))
        .finally(() => {
          beating = undefined;
        });
    },
    Math.max(10, options.everyMs),
  );
  timer.unref();
  return async () => {
    clearInterval(timer);
    await beating;
  };
}
