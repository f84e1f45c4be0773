/**
 * How routes hand out executions: their URL, the answer for one (always built by the presenter, so
 * secrets and server paths never leave), who may see one and who may run or change one. With
 * `ownExecutionsOnly`, another user's execution is reported as not found (404, not 403) so that ids
 * do not leak.
 */
import type { Context } from 'koa';
import type { Execution } from '../../../api/index.js';
import type { AppContextDeps } from '../app-options.js';
import { FunctionVersionNotFound } from '../../errors.js';
import { functionVersion, type VersionedEntry } from '../../registry/function-version.js';
import type { ExecutionPresenter } from '../../presentation/execution-presenter.js';
import { Forbidden, Unauthorized } from '../http-errors.js';

/** The URL of an execution. */
export function executionLocation(id: string): string {
  return `/api/executions/${encodeURIComponent(id)}`;
}

/** Answers with `execution` as the presenter shows it (secrets masked, traceback made safe). */
export function respondExecution(ctx: Context, present: ExecutionPresenter, execution: Execution): void {
  ctx.body = present.execution(execution);
}

/** Answers with a new execution: `status` (201 finished, 202 accepted), its `Location`, and it as presented. */
export function respondCreated(
  ctx: Context,
  present: ExecutionPresenter,
  status: 201 | 202,
  execution: Execution,
): void {
  ctx.status = status;
  ctx.set('Location', executionLocation(execution.id));
  respondExecution(ctx, present, execution);
}

/**
 * Whose executions the caller may see: everyone's (`undefined`) unless `ownOnly`, then the caller's
 * own. With `ownOnly` a request without a user is refused (401) rather than shown the executions
 * that have no user: `createApp` refuses `ownExecutionsOnly` without auth, so this only guards
 * against a route left outside the authenticated router.
 */
export function visibleOwner(user: string | undefined, ownOnly: boolean): string | undefined {
  if (!ownOnly) return undefined;
  if (user === undefined) throw new Unauthorized();
  return user;
}

/**
 * The visibility option of the service's `get`, `cancel` and `rerun` for `user` (see
 * {@link visibleOwner}): the service answers `ExecutionNotFound` for an execution the caller may not see.
 */
export function visibility(user: string | undefined, ownOnly: boolean): { visibleTo?: string } {
  const owner = visibleOwner(user, ownOnly);
  return owner === undefined ? {} : { visibleTo: owner };
}

/** What a request does to an execution of a function, as `authorize` is asked about it. */
export type ExecutionAction = 'run' | 'rerun' | 'cancel' | 'schedule';

/**
 * The one authorisation of every route that runs or changes an execution (create, rerun, cancel):
 * throws 403 `Forbidden` when `deps.authorize` refuses `user` the function. Without a hook everyone
 * may. Visibility comes first (404 for another user's execution), so a 403 says nothing about ids.
 */
export async function assertMayAct(
  deps: Pick<AppContextDeps, 'authorize'>,
  user: string | undefined,
  functionName: string,
  action: ExecutionAction,
): Promise<void> {
  if (deps.authorize && !(await deps.authorize(user, functionName))) {
    throw new Forbidden(`You may not ${action} ${functionName}`, { function: functionName, action });
  }
}

/**
 * The entry of the version `execution` was made with, when that is not the function's current one
 * (undefined for a current or unversioned run, or a version never recorded).
 */
export async function ranWith(
  deps: Pick<AppContextDeps, 'executions' | 'manifest'>,
  execution: Execution,
): Promise<VersionedEntry | undefined> {
  const { functionName, functionVersion: version } = execution;
  if (version === null) return undefined;
  const current = Object.hasOwn(deps.manifest.functions, functionName)
    ? deps.manifest.functions[functionName]
    : undefined;
  if (current && functionVersion(current) === version) return undefined;
  try {
    return (await deps.executions.functionVersion(functionName, version)).entry;
  } catch (err) {
    if (err instanceof FunctionVersionNotFound) return undefined;
    throw err;
  }
}
