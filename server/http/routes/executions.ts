/**
 * `/api/executions`: the history, one execution, cancel and rerun.
 */
import type Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import { isExecutionStatus, MAX_PAGE_SIZE, type ExecutionFields } from '../../../api/execution.js';
import type { AppContextDeps } from '../app-options.js';
import type { AppState } from '../app-state.js';
import type { ListOptions as ListQuery } from '../../executions/executions-service.js';
import { createRouter } from '../create-router.js';
import { InvalidRequest } from '../http-errors.js';
import { jsonBody } from '../json-body.js';
import { parseRerunBody } from './rerun-body.js';
import {
  assertMayAct,
  ranWith,
  respondCreated,
  respondExecution,
  visibility,
  visibleOwner,
} from './execution-access.js';

/** The page size when `limit` is not given. */
export const DEFAULT_PAGE_SIZE = 50;

/** Routes under `/api/executions`. */
export function executionsRouter(deps: AppContextDeps): Router<AppState> {
  const router = createRouter();

  router.get('/api/executions', async (ctx) => {
    const query = parseListQuery(ctx);
    const owner = visibleOwner(ctx.state.user, deps.ownExecutionsOnly);
    if (owner !== undefined) {
      if (query.user !== undefined && query.user !== owner) {
        ctx.body = { items: [], next: null };
        return;
      }
      query.user = owner;
    }
    // Summaries carry neither inputs nor tracebacks; whole executions go through the presenter.
    ctx.body =
      query.fields === 'full'
        ? deps.present.page(await deps.executions.list({ ...query, fields: 'full' }))
        : await deps.executions.list(query);
  });

  router.get('/api/executions/:id', async (ctx) => {
    const execution = await deps.executions.get(ctx.params.id!, {
      ...visibility(ctx.state.user, deps.ownExecutionsOnly),
      deliveries: true,
    });
    // An old run's secrets are those of the version it ran with (see the presenter).
    ctx.body = deps.present.execution(execution, await ranWith(deps, execution));
  });

  router.post('/api/executions/:id/cancel', async (ctx) => {
    const id = ctx.params.id!;
    const options = await mayChange(deps, ctx.state.user, id, 'cancel');
    respondExecution(ctx, deps.present, await deps.executions.cancel(id, options));
  });

  router.post('/api/executions/:id/rerun', jsonBody({ limit: deps.bodyLimit }), async (ctx) => {
    const id = ctx.params.id!;
    const { resume } = parseRerunBody(ctx.request.body);
    const options = await mayChange(deps, ctx.state.user, id, 'rerun');
    // A background rerun is handed to the scheduler by the service.
    respondCreated(ctx, deps.present, 202, await deps.executions.rerun(id, { ...options, resume }));
  });

  return router;
}

/**
 * `user` sees execution `id` (else 404, from the service, without reading its events) and may act
 * on its function (else 403); returns the options of the service's `cancel`/`rerun` for `user`.
 */
async function mayChange(
  deps: AppContextDeps,
  user: string | undefined,
  id: string,
  action: 'rerun' | 'cancel',
): Promise<{ user?: string; visibleTo?: string }> {
  const visible = visibility(user, deps.ownExecutionsOnly);
  const { functionName } = await deps.executions.get(id, { ...visible, events: false });
  await assertMayAct(deps, user, functionName, action);
  return { ...(user !== undefined && { user }), ...visible };
}

/** The values of `?fields=`. */
const FIELDS: readonly ExecutionFields[] = ['summary', 'full'];

/** `?function=&status=&user=&schedule=&createdAfter=&createdBefore=&limit=&cursor=&fields=&input.<name>=`, each checked. */
function parseListQuery(ctx: ParameterizedContext<AppState>): ListQuery {
  const query: ListQuery = { limit: DEFAULT_PAGE_SIZE };
  const one = (name: string): string | undefined => {
    const value = ctx.query[name];
    if (Array.isArray(value)) throw new InvalidRequest(`Give ${name} once`, { parameter: name });
    return value === undefined || value === '' ? undefined : value;
  };
  const fn = one('function');
  if (fn !== undefined) query.functionName = fn;
  const status = one('status');
  if (status !== undefined) {
    if (!isExecutionStatus(status))
      throw new InvalidRequest(`Unknown status ${JSON.stringify(status)}`, {
        parameter: 'status',
        value: status,
      });
    query.status = status;
  }
  const user = one('user');
  if (user !== undefined) query.user = user;
  const schedule = one('schedule');
  if (schedule !== undefined) query.scheduleId = schedule;
  for (const name of ['createdAfter', 'createdBefore'] as const) {
    const value = one(name);
    if (value === undefined) continue;
    const time = Date.parse(value);
    if (Number.isNaN(time))
      throw new InvalidRequest(`${name} must be an ISO date-time`, { parameter: name, value });
    query[name] = new Date(time).toISOString();
  }
  const limit = one('limit');
  if (limit !== undefined) {
    const n = Number(limit);
    if (!/^\d+$/.test(limit) || n < 1 || n > MAX_PAGE_SIZE) {
      throw new InvalidRequest(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`, {
        parameter: 'limit',
        value: limit,
      });
    }
    query.limit = n;
  }
  const cursor = one('cursor');
  if (cursor !== undefined) query.cursor = cursor;
  // `input.<name>=value`: exact matches on @filterable parameters, checked by the service.
  const input: Array<[string, string]> = [];
  for (const name of Object.keys(ctx.query)) {
    const value = name.startsWith('input.') ? one(name) : undefined;
    if (value !== undefined) input.push([name.slice('input.'.length), value]);
  }
  // fromEntries defines own properties, so even `input.__proto__` is a name the service refuses.
  if (input.length > 0) query.input = Object.fromEntries(input);
  const fields = one('fields');
  if (fields !== undefined) {
    if (!(FIELDS as readonly string[]).includes(fields)) {
      throw new InvalidRequest('fields must be summary or full', { parameter: 'fields', value: fields });
    }
    query.fields = fields as ExecutionFields;
  }
  return query;
}
