/**
 * Who may see an execution: with `ownExecutionsOnly`, another user's execution is reported as not
 * found (404, not 403) so that ids do not leak.
 */
import { ExecutionNotFound } from '../../errors.js';

/** The URL of an execution. */
export function executionLocation(id: string): string {
  return `/api/executions/${encodeURIComponent(id)}`;
}

/** Throws `ExecutionNotFound` when `user` may not see `execution`. */
export function assertVisible(execution: { id: string; user: string | null }, user: string | undefined, ownOnly: boolean): void {
  if (ownOnly && execution.user !== (user ?? null)) throw new ExecutionNotFound(execution.id);
}
