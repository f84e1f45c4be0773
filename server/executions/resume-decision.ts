/**
 * Whether a rerun may resume from its original's last checkpoint: pure, so the rule is in one place
 * and testable without a database.
 */
import { NotResumable } from '../errors.js';
import type { ExecutionRecord } from './store/execution-record.js';

/** Where a rerun comes from: the original's id, and the state it starts with (`null`: from scratch). */
export interface RerunOrigin {
  rerunOf: string;
  state: unknown;
}

/**
 * The origin of a rerun of `original`: from scratch, or (`resume`) from its stored state — the last
 * `checkpoint()` or `pending(state)` — which only an errored execution with a state has.
 * @throws NotResumable (`not-errored`, `no-checkpoint`)
 */
export function rerunOrigin(
  original: Pick<ExecutionRecord, 'id' | 'status' | 'state'>,
  resume: boolean,
): RerunOrigin {
  if (!resume) return { rerunOf: original.id, state: null };
  if (original.status !== 'errored') throw new NotResumable(original.id, 'not-errored', original.status);
  if (original.state === null || original.state === undefined)
    throw new NotResumable(original.id, 'no-checkpoint', original.status);
  return { rerunOf: original.id, state: original.state };
}
