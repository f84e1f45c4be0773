/**
 * Retention: finished executions (done, errored, cancelled) older than a period are deleted with
 * their events, in bounded batches; pending ones (created, running, waiting) never are, whatever their
 * age. The period is server-wide (`TURTLE_RETENTION`) with per-function overrides (`retention` option,
 * checked when registered).
 */
import type { BoundRegistry } from '../registry/bound-registry.js';
import { retentionMs, type RetentionMs } from '../registry/retention-period.js';
import type { ExecutionStore, PruneCriteria } from './store/execution-store.js';

/** What a prune deleted (or, dry, would delete), by function (`*` for every function without its own period). */
export interface PruneReport {
  total: number;
  byPolicy: Record<string, number>;
}

export interface PruneOptions {
  /** The server-wide period (`TURTLE_RETENTION`); null or undefined: keep what has no period of its own. */
  defaultMs?: RetentionMs;
  /** Epoch ms "now"; default `Date.now()`. */
  now?: number;
  /** Executions deleted per commit; default 500, so that other writers wait little. */
  batchSize?: number;
  /** Count, delete nothing. */
  dryRun?: boolean;
}

/** Deletes (or counts) what retention says may go. */
export async function pruneFinished(
  store: ExecutionStore,
  functions: BoundRegistry,
  options: PruneOptions = {},
): Promise<PruneReport> {
  const now = options.now ?? Date.now();
  const batchSize = options.batchSize ?? 500;
  const own = functions.list().filter((fn) => fn.options.retention !== undefined);
  const policies: Array<[string, RetentionMs, Omit<PruneCriteria, 'finishedBefore'>]> = [
    ['*', options.defaultMs ?? null, { exceptFunctions: own.map((fn) => fn.name) }],
    ...own.map((fn): [string, RetentionMs, Omit<PruneCriteria, 'finishedBefore'>] => [
      fn.name,
      retentionMs(fn.options.retention!) ?? null,
      { functionName: fn.name },
    ]),
  ];
  const report: PruneReport = { total: 0, byPolicy: {} };
  for (const [label, ms, scope] of policies) {
    if (ms === null) continue;
    const criteria = { ...scope, finishedBefore: now - ms };
    let count = 0;
    if (options.dryRun) count = await store.countPrunable(criteria);
    else {
      for (let deleted = batchSize; deleted === batchSize; count += deleted) {
        deleted = await store.prune(criteria, batchSize);
        // Between batches, let requests and runs waiting on the event loop go first.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    report.byPolicy[label] = count;
    report.total += count;
  }
  return report;
}
