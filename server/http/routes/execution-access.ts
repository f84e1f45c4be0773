/**
 * How routes hand out executions: their URL, the answer for a new one, and who may see one. With
 * `ownExecutionsOnly`, another user's execution is reported as not found (404, not 403) so that ids
 * do not leak.
 */
import type { Context } from 'koa';
import type { Execution } from '../../../api/index.js';
import { ExecutionNotFound } from '../../errors.js';

/** The URL of an execution. */
export function executionLocation(id: string): string {
  return `/api/executions/${encodeURIComponent(id)}`;
}

/** Answers with a new execution: `status` (201 finished, 202 accepted) and its `Location`. */
export function respondCreated(ctx: Context, status: 201 | 202, execution: Execution): void {
  ctx.status = status;
  ctx.set('Location', executionLocation(execution.id));
  ctx.body = execution;
}

/** Throws `ExecutionNotFound` when `user` may not see `execution`. */
export function assertVisible(execution: { id: string; user: string | null }, user: string | undefined, ownOnly: boolean): void {
  if (ownOnly && execution.user !== (user ?? null)) throw new ExecutionNotFound(execution.id);
}
