/**
 * `/api/schedules`: list, create, read, pause, resume and delete schedules. Behind the same auth as
 * the executions routes; `authorize(user, functionName)` decides who may see and change the
 * schedules of a function (a list shows only those). Schedules belong to no user, so
 * `ownExecutionsOnly` does not hide them (the executions they fire belong to `schedule:<id>`).
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { NewSchedule } from '../../../api/schedule.js';
import { ValidationError, type ValidationIssue } from '../../errors.js';
import type { AppContextDeps } from '../app-options.js';
import type { AppState } from '../app-state.js';
import { createRouter } from '../create-router.js';
import { jsonBody } from '../json-body.js';
import { presentSchedule } from '../../presentation/schedule-presenter.js';
import type { SchedulesPort } from '../schedules-port.js';
import { assertMayAct } from './execution-access.js';

/** The URL of a schedule. */
export function scheduleLocation(id: string): string {
  return `/api/schedules/${encodeURIComponent(id)}`;
}

/** Routes under `/api/schedules`, answered by `schedules`. */
export function schedulesRouter(deps: AppContextDeps, schedules: SchedulesPort): Router<AppState> {
  const router = createRouter();
  const present = presentSchedule.bind(null, deps.manifest);
  /** The schedule, if `user` may act on its function (else 403). */
  const mayChange = async (ctx: Context & { state: AppState }, id: string) => {
    const schedule = await schedules.get(id);
    await assertMayAct(deps, ctx.state.user, schedule.functionName, 'schedule');
    return schedule;
  };

  router.get('/api/schedules', async (ctx) => {
    const all = await schedules.list();
    const allowed = await Promise.all(
      all.map(async (s) => !deps.authorize || (await deps.authorize(ctx.state.user, s.functionName))),
    );
    ctx.body = { items: all.filter((_, i) => allowed[i]).map(present) };
  });

  router.post('/api/schedules', jsonBody({ limit: deps.bodyLimit }), async (ctx) => {
    const body = parseNewSchedule(ctx.request.body);
    await assertMayAct(deps, ctx.state.user, body.function, 'schedule');
    const schedule = await schedules.create({
      functionName: body.function,
      cron: body.cron,
      ...(body.timezone !== undefined && { timezone: body.timezone }),
      ...(body.input !== undefined && { input: body.input }),
    });
    ctx.status = 201;
    ctx.set('Location', scheduleLocation(schedule.id));
    ctx.body = present(schedule);
  });

  router.get('/api/schedules/:id', async (ctx) => {
    ctx.body = present(await mayChange(ctx, ctx.params.id!));
  });

  router.post('/api/schedules/:id/pause', async (ctx) => {
    await mayChange(ctx, ctx.params.id!);
    ctx.body = present(await schedules.pause(ctx.params.id!));
  });

  router.post('/api/schedules/:id/resume', async (ctx) => {
    await mayChange(ctx, ctx.params.id!);
    ctx.body = present(await schedules.resume(ctx.params.id!));
  });

  // Answers the deleted schedule, as it was (a 204 would leave a client nothing to show or undo with).
  router.delete('/api/schedules/:id', async (ctx) => {
    const schedule = await mayChange(ctx, ctx.params.id!);
    await schedules.remove(ctx.params.id!);
    ctx.body = present(schedule);
  });

  return router;
}

const FIELDS = new Set(['function', 'cron', 'timezone', 'input']);

/** The body's shape, each field named when wrong; cron, time zone and inputs are the service's to check. */
function parseNewSchedule(body: unknown): NewSchedule {
  const issue = (path: string, message: string, keyword = 'type'): ValidationIssue => ({
    path,
    message,
    keyword,
    params: {},
  });
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new ValidationError([issue('', 'must be an object { function, cron, timezone?, input? }')]);
  const b = body as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  for (const key of Object.keys(b)) {
    if (!FIELDS.has(key))
      issues.push(issue(`/${key}`, 'is not a field of a schedule', 'additionalProperties'));
  }
  if (typeof b.function !== 'string' || b.function === '')
    issues.push(issue('/function', 'must be the name of a function', 'required'));
  if (typeof b.cron !== 'string') issues.push(issue('/cron', 'must be a cron expression', 'required'));
  if (b.timezone !== undefined && typeof b.timezone !== 'string')
    issues.push(issue('/timezone', 'must be an IANA time zone such as Europe/Berlin'));
  if (b.input !== undefined && (b.input === null || typeof b.input !== 'object' || Array.isArray(b.input)))
    issues.push(issue('/input', "must be an object of the function's inputs"));
  if (issues.length) throw new ValidationError(issues);
  return b as unknown as NewSchedule;
}
