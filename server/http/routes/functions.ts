/**
 * `/api/functions`: the registered functions and creating executions of them.
 */
import type Router from '@koa/router';
import type { ManifestFunction } from '../../../manifest/manifest.js';
import type { FunctionInfo, FunctionVersionInfo } from '../../../api/functions.js';
import { functionVersion } from '../../registry/function-version.js';
import { UnknownFunction, ValidationError } from '../../errors.js';
import type { AppContextDeps } from '../app-options.js';
import type { AppState } from '../app-state.js';
import { createRouter } from '../create-router.js';
import { InvalidRequest } from '../http-errors.js';
import { jsonBody } from '../json-body.js';
import { assertMayAct, respondCreated } from './execution-access.js';

/** A function as the API describes it (the contract's `FunctionInfo`). */
export type FunctionView = FunctionInfo;

/** The public description of a manifest function (no source paths). */
export function functionView(
  fn: Pick<ManifestFunction, 'name' | 'mode' | 'title' | 'description' | 'params' | 'returns'>,
): FunctionView {
  const view: FunctionView = { name: fn.name, mode: fn.mode, params: fn.params, returns: fn.returns };
  if (fn.title !== undefined) view.title = fn.title;
  if (fn.description !== undefined) view.description = fn.description;
  return view;
}

// Printable ASCII, as in the IETF Idempotency-Key draft's examples; long enough for a UUID or a hash; the store keeps 200.
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** Routes under `/api/functions`. */
export function functionsRouter(deps: AppContextDeps): Router<AppState> {
  const router = createRouter();
  const lookup = (name: string): ManifestFunction => {
    const fn = Object.hasOwn(deps.manifest.functions, name) ? deps.manifest.functions[name] : undefined;
    if (!fn) throw new UnknownFunction(name);
    return fn;
  };

  router.get('/api/functions', (ctx) => {
    ctx.body = { items: Object.values(deps.manifest.functions).map(functionView) };
  });

  router.get('/api/functions/:name', (ctx) => {
    ctx.body = functionView(lookup(ctx.params.name!));
  });

  // Also for a function no longer registered: its old runs are still shown with it.
  router.get('/api/functions/:name/versions/:version', async (ctx) => {
    const { name, version } = ctx.params as { name: string; version: string };
    const found = await deps.executions.functionVersion(name, version);
    const current = Object.hasOwn(deps.manifest.functions, name) ? deps.manifest.functions[name] : undefined;
    const body: FunctionVersionInfo = {
      ...functionView(found.entry),
      version: found.version,
      firstSeenAt: new Date(found.firstSeenAt).toISOString(),
      current: current !== undefined && functionVersion(current) === found.version,
    };
    // No long-lived Cache-Control: the entry never changes, but `current` does with the next deploy.
    ctx.body = body;
  });

  router.post('/api/functions/:name/executions', jsonBody({ limit: deps.bodyLimit }), async (ctx) => {
    const fn = lookup(ctx.params.name!);
    const user = ctx.state.user;
    await assertMayAct(deps, user, fn.name, 'run');
    const input: unknown = ctx.request.body;
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new ValidationError([
        {
          path: '',
          message: 'must be an object of named inputs',
          keyword: 'type',
          params: { type: 'object' },
        },
      ]);
    }
    const key = ctx.get('Idempotency-Key');
    if (key !== '' && !IDEMPOTENCY_KEY.test(key)) {
      throw new InvalidRequest('Idempotency-Key must be 1-200 printable ASCII characters', {
        header: 'Idempotency-Key',
      });
    }
    const options = { ...(user !== undefined && { user }), ...(key !== '' && { idempotencyKey: key }) };
    // The service runs a sync function here, or stores a background one and hands it to the scheduler.
    const execution = await deps.executions.submit(fn.name, input, options);
    respondCreated(ctx, deps.present, execution.mode === 'sync' ? 201 : 202, execution);
  });

  return router;
}
