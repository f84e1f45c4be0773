/**
 * How routes hand out executions: their URL, the answer for one (always built by the presenter, so
 * secrets and server paths never leave), and who may see one. With `ownExecutionsOnly`, another
 * user's execution is reported as not found (404, not 403) so that ids do not leak.
 */
import type { Context } from 'koa';
import type { Execution } from '../../../api/index.js';
import { ExecutionNotFound } from '../../errors.js';
import type { ExecutionPresenter } from '../execution-presenter.js';

/** The URL of an execution. */
export function executionLocation(id: string): string {
  return `/api/executions/${encodeURIComponent(id)}`;
}

/** Answers with `execution` as the presenter shows it (secrets masked, traceback made safe). */
export function respondExecution(ctx: Context, present: ExecutionPresenter, execution: Execution): void {
  ctx.body = present.execution(execution);
}

/** Answers with a new execution: `status` (201 finished, 202 accepted), its `Location`, and it as presented. */
export function respondCreated(ctx: Context, present: ExecutionPresenter, status: 201 | 202, execution: Execution): void {
  ctx.status = status;
  ctx.set('Location', executionLocation(execution.id));
  respondExecution(ctx, present, execution);
}

/** Throws `ExecutionNotFound` when `user` may not see `execution`. */
export function assertVisible(execution: { id: string; user: string | null }, user: string | undefined, ownOnly: boolean): void {
  if (ownOnly && execution.user !== (user ?? null)) throw new ExecutionNotFound(execution.id);
}
