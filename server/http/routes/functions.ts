/**
 * `/api/functions`: the registered functions and creating executions of them.
 */
import Router from '@koa/router';
import type { ManifestFunction } from '../../../manifest/manifest.js';
import type { FunctionInfo } from '../../../api/functions.js';
import { UnknownFunction, ValidationError } from '../../errors.js';
import type { AppContextDeps } from '../app-options.js';
import type { AppState } from '../app-state.js';
import { Forbidden, InvalidRequest } from '../http-errors.js';
import { jsonBody } from '../json-body.js';
import { respondCreated } from './execution-access.js';

/** A function as the API describes it (the contract's `FunctionInfo`). */
export type FunctionView = FunctionInfo;

/** The public description of a manifest function (no source paths). */
export function functionView(fn: ManifestFunction): FunctionView {
  const view: FunctionView = { name: fn.name, mode: fn.mode, params: fn.params, returns: fn.returns };
  if (fn.title !== undefined) view.title = fn.title;
  if (fn.description !== undefined) view.description = fn.description;
  return view;
}

// Printable ASCII, as in the IETF Idempotency-Key draft's examples; long enough for a UUID or a hash; the store keeps 200.
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** Routes under `/api/functions`. */
export function functionsRouter(deps: AppContextDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/functions' });
  const lookup = (name: string): ManifestFunction => {
    const fn = Object.hasOwn(deps.manifest.functions, name) ? deps.manifest.functions[name] : undefined;
    if (!fn) throw new UnknownFunction(name);
    return fn;
  };

  router.get('/', (ctx) => {
    ctx.body = { items: Object.values(deps.manifest.functions).map(functionView) };
  });

  router.get('/:name', (ctx) => {
    ctx.body = functionView(lookup(ctx.params.name!));
  });

  router.post('/:name/executions', jsonBody({ limit: deps.bodyLimit }), async (ctx) => {
    const fn = lookup(ctx.params.name!);
    const user = ctx.state.user;
    if (deps.authorize && !(await deps.authorize(user, fn.name))) {
      throw new Forbidden(`You may not run ${fn.name}`, { function: fn.name });
    }
    const input: unknown = ctx.request.body;
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new ValidationError([{ path: '', message: 'must be an object of named inputs', keyword: 'type', params: { type: 'object' } }]);
    }
    const key = ctx.get('Idempotency-Key');
    if (key !== '' && !IDEMPOTENCY_KEY.test(key)) {
      throw new InvalidRequest('Idempotency-Key must be 1-200 printable ASCII characters', { header: 'Idempotency-Key' });
    }
    const options = { ...(user !== undefined && { user }), ...(key !== '' && { idempotencyKey: key }) };
    if (fn.mode === 'sync') {
      const execution = await deps.executions.runSync(fn.name, input, options);
      respondCreated(ctx, deps.present, 201, execution);
      return;
    }
    const execution = await deps.executions.create(fn.name, input, options);
    await enqueue(deps, execution, ctx.state.log);
    respondCreated(ctx, deps.present, 202, execution);
  });

  return router;
}

/**
 * Hands a created execution to the scheduler. A failure is logged, not returned: the execution is
 * stored, and the scheduler's periodic sweep enqueues anything pending that it has not seen.
 */
export async function enqueue(deps: AppContextDeps, execution: { id: string; status: string }, log: AppState['log']): Promise<void> {
  if (!deps.scheduler || execution.status !== 'created') return;
  try {
    await deps.scheduler.enqueue(execution as Parameters<NonNullable<AppContextDeps['scheduler']>['enqueue']>[0]);
  } catch (err) {
    log.warn({ err, executionId: execution.id }, 'could not enqueue the execution; the sweep will pick it up');
  }
}
