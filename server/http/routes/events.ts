/**
 * Server-Sent Events: `GET /api/executions/:id/events` (one execution, until it ends) and
 * `GET /api/events?function=` (every execution, for list views).
 *
 * Each event is the stored `ExecutionEvent` as JSON in `data:`, with its id in `id:` so that a
 * reconnecting `EventSource` resumes after the last one it saw (`Last-Event-ID`). Events come from
 * the store (`listEvents({ afterId })`), polled at a short interval so changes made by workers in
 * other processes arrive; a change made in this process triggers a poll at once. Reading only from
 * the store keeps one order and no duplicates whichever way an event is noticed.
 */
import { PassThrough } from 'node:stream';
import type Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import { isTerminal } from '../../../api/execution.js';
import type { ExecutionEvent } from '../../../api/execution.js';
import type { AppContextDeps } from '../app-options.js';
import type { AppState } from '../app-state.js';
import { createRouter } from '../create-router.js';
import { InvalidRequest } from '../http-errors.js';
import { assertVisible, visibleOwner } from './execution-access.js';

/** Events read from the store per query. */
const PAGE = 200;
/** How long a delivered event is re-read to catch events committed late behind it, in ms. */
const LOOKBACK_MS = 2000;
/** What an `EventSource` waits before reconnecting, in ms. */
const RETRY_MS = 2000;

/** Routes of the event streams. */
export function eventsRouter(deps: AppContextDeps): Router<AppState> {
  const router = createRouter();

  router.get('/api/executions/:id/events', async (ctx) => {
    const execution = await deps.executions.get(ctx.params.id!);
    assertVisible(execution, ctx.state.user, deps.ownExecutionsOnly);
    const afterId = lastEventId(ctx) ?? 0;
    openStream(ctx, deps, { executionId: execution.id }, afterId, isTerminal(execution.status));
  });

  router.get('/api/events', async (ctx) => {
    const fn = ctx.query.function;
    if (Array.isArray(fn)) throw new InvalidRequest('Give function once', { parameter: 'function' });
    const filter = fn ? { functionName: fn } : {};
    // A list view wants what happens from now on unless it is resuming.
    const afterId = lastEventId(ctx) ?? (await newestEventId(deps, filter));
    openStream(ctx, deps, filter, afterId, false, visibleOwner(ctx.state.user, deps.ownExecutionsOnly));
  });

  return router;
}

interface StreamFilter {
  executionId?: string;
  functionName?: string;
}

/** `Last-Event-ID` (or `?lastEventId=` for clients that cannot set headers), validated. */
function lastEventId(ctx: ParameterizedContext<AppState>): number | undefined {
  const raw = ctx.get('Last-Event-ID') || (typeof ctx.query.lastEventId === 'string' ? ctx.query.lastEventId : '');
  if (raw === '') return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw new InvalidRequest('Last-Event-ID must be an event id', { header: 'Last-Event-ID' });
  return Number(raw);
}

async function newestEventId(deps: AppContextDeps, filter: StreamFilter): Promise<number> {
  let afterId = 0;
  for (;;) {
    const events = await deps.executions.listEvents({ ...filter, afterId, limit: 1000 });
    const last = events.at(-1);
    if (!last) return afterId;
    afterId = last.id;
    if (events.length < 1000) return afterId;
  }
}

/**
 * Turns the response into an event stream. `endWhenTerminal`: the stream is for one execution and
 * ends after its final status change (or at once when it already ended and nothing is left to send).
 * `onlyUser`: with `ownExecutionsOnly`, events of other users' executions are skipped.
 */
function openStream(
  ctx: ParameterizedContext<AppState>,
  deps: AppContextDeps,
  filter: StreamFilter,
  afterId: number,
  alreadyEnded: boolean,
  onlyUser?: string | null,
): void {
  const perExecution = filter.executionId !== undefined;
  const stream = new PassThrough();
  const socket = ctx.req.socket;
  socket.setTimeout(0);
  socket.setNoDelay(true);
  socket.setKeepAlive(true);
  ctx.status = 200;
  ctx.set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  ctx.body = stream;
  stream.write(`retry: ${RETRY_MS}\n: stream open\n\n`);

  // Ids are given at insert but become visible at commit, so on MariaDB two writers can commit out of
  // id order. Events are re-read for LOOKBACK_MS after delivery (and skipped when seen), so one that
  // commits late behind a newer id still arrives instead of being jumped over.
  let settledId = afterId;
  const delivered = new Map<number, number>();
  let closed = false;
  let polling = false;
  let pollAgain = false;
  const owners = new Map<string, string | null>();

  const close = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(pollTimer);
    clearInterval(heartbeatTimer);
    unsubscribe();
    deps.signal?.removeEventListener('abort', close);
    stream.end();
  };

  const visible = async (event: ExecutionEvent): Promise<boolean> => {
    if (onlyUser === undefined) return true;
    if (!owners.has(event.executionId)) {
      const execution = await deps.executions.get(event.executionId).catch(() => null);
      owners.set(event.executionId, execution?.user ?? null);
    }
    return owners.get(event.executionId) === onlyUser;
  };

  const poll = async (): Promise<void> => {
    if (closed) return;
    if (polling) {
      pollAgain = true;
      return;
    }
    polling = true;
    try {
      do {
        pollAgain = false;
        let from = settledId;
        let events: ExecutionEvent[];
        do {
          events = await deps.executions.listEvents({ ...filter, afterId: from, limit: PAGE });
          for (const event of events) {
            if (closed) return;
            from = event.id;
            if (delivered.has(event.id)) continue;
            delivered.set(event.id, Date.now());
            if (await visible(event)) stream.write(`id: ${event.id}\ndata: ${JSON.stringify(event)}\n\n`);
            if (perExecution && event.kind === 'status' && event.to !== undefined && isTerminal(event.to)) {
              close();
              return;
            }
          }
        } while (events.length === PAGE && !closed);
        const settled = Date.now() - LOOKBACK_MS;
        for (const [id, at] of delivered) {
          if (at > settled) continue;
          settledId = Math.max(settledId, id);
          delivered.delete(id);
        }
        if (perExecution && alreadyEnded) close();
      } while (pollAgain && !closed);
    } catch (err) {
      ctx.state.log.warn({ err }, 'event stream poll failed; retrying at the next interval');
    } finally {
      polling = false;
    }
  };

  const unsubscribe = deps.executions.subscribe((event) => {
    if (filter.executionId !== undefined && event.executionId !== filter.executionId) return;
    if (filter.functionName !== undefined && event.functionName !== filter.functionName) return;
    void poll();
  });
  const pollTimer = setInterval(() => void poll(), deps.eventsPollMs);
  const heartbeatTimer = setInterval(() => {
    if (!closed) stream.write(': heartbeat\n\n');
  }, deps.heartbeatMs);
  pollTimer.unref();
  heartbeatTimer.unref();

  ctx.req.on('close', close);
  stream.on('close', close);
  if (deps.signal?.aborted) close();
  else deps.signal?.addEventListener('abort', close);
  void poll();
}
