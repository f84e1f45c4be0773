/**
 * Server-Sent Events: `GET /api/executions/:id/events` (one execution, until it ends) and
 * `GET /api/events?function=` (every execution, for list views).
 *
 * Each event is the stored `ExecutionEvent` as JSON in `data:`, with its id in `id:` so that a
 * reconnecting `EventSource` resumes after the last one it saw (`Last-Event-ID`). Live events come
 * from the app's one {@link EventFeed}, which reads the store for all streams at once; a stream reads
 * the store itself only to catch up: an execution's backlog (once), or a list view resuming. Reading
 * only from the store keeps one order and no duplicates whichever way an event is noticed.
 *
 * Once an execution has ended and a reconnecting client has everything, the answer is
 * `204 No Content`, which tells an `EventSource` to stop reconnecting.
 */
import type Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import { isTerminal } from '../../../api/execution.js';
import type { ExecutionWithEvents } from '../../../api/execution.js';
import type { AppContextDeps } from '../app-options.js';
import type { AppState } from '../app-state.js';
import { createRouter } from '../create-router.js';
import { EventFeed } from '../event-feed.js';
import { FeedStream, type FeedFilter } from '../feed-stream.js';
import { InvalidRequest } from '../http-errors.js';
import { visibility, visibleOwner } from './execution-access.js';

/** Events read per query when a list view catches up. */
const PAGE = 200;

/** Routes of the event streams, over one feed shared by all their streams. */
export function eventsRouter(deps: AppContextDeps): Router<AppState> {
  const router = createRouter();
  const feed = new EventFeed({
    executions: deps.executions,
    pollMs: deps.eventsPollMs,
    heartbeatMs: deps.heartbeatMs,
    withUsers: deps.ownExecutionsOnly,
    signal: deps.signal,
    logger: deps.logger,
  });

  /** A stream that leaves the feed when it closes, and closes when the client goes. */
  const joinFeed = (
    ctx: ParameterizedContext<AppState>,
    filter: FeedFilter,
    endOnTerminal: boolean,
  ): FeedStream => {
    const stream: FeedStream = new FeedStream(filter, endOnTerminal, () => feed.leave(stream));
    ctx.res.once('close', () => stream.close());
    feed.join(stream);
    return stream;
  };

  router.get('/api/executions/:id/events', async (ctx) => {
    const afterId = lastEventId(ctx);
    // Joined before reading, so nothing committed meanwhile is missed; duplicates are skipped.
    const stream = joinFeed(ctx, { executionId: ctx.params.id! }, true);
    let execution: ExecutionWithEvents;
    try {
      await feed.ready();
      execution = await deps.executions.get(
        ctx.params.id!,
        visibility(ctx.state.user, deps.ownExecutionsOnly),
      );
    } catch (err) {
      stream.close();
      throw err;
    }
    stream.afterId = afterId ?? 0;
    const ended = isTerminal(execution.status);
    if (ended) {
      feed.leave(stream);
      if (afterId !== undefined && !execution.events.some((event) => event.id > afterId)) {
        stream.close();
        ctx.status = 204;
        return;
      }
    }
    respond(ctx, stream);
    if (!stream.backfill(execution.events)) return;
    if (ended) stream.close();
    else stream.goLive(feed.mayRepeat);
  });

  router.get('/api/events', async (ctx) => {
    const fn = ctx.query.function;
    if (Array.isArray(fn)) throw new InvalidRequest('Give function once', { parameter: 'function' });
    const afterId = lastEventId(ctx);
    const owner = visibleOwner(ctx.state.user, deps.ownExecutionsOnly);
    const filter: FeedFilter = {
      ...(fn ? { functionName: fn } : {}),
      ...(owner !== undefined ? { user: owner } : {}),
    };
    const stream = joinFeed(ctx, filter, false);
    try {
      if (afterId === undefined) {
        // A list view wants what happens from now on: one query.
        stream.afterId = await feed.newestEventId(stream);
        respond(ctx, stream);
      } else {
        await feed.ready();
        stream.afterId = afterId;
        respond(ctx, stream);
        for (let from = afterId; ;) {
          const page = await deps.executions.listEvents({ ...filter, afterId: from, limit: PAGE });
          if (!stream.backfill(page)) return;
          if (page.length < PAGE) break;
          from = page.at(-1)!.id;
        }
      }
    } catch (err) {
      stream.close();
      throw err;
    }
    stream.goLive(feed.mayRepeat);
  });

  return router;
}

/** `Last-Event-ID` (or `?lastEventId=` for clients that cannot set headers), validated. */
function lastEventId(ctx: ParameterizedContext<AppState>): number | undefined {
  const raw =
    ctx.get('Last-Event-ID') || (typeof ctx.query.lastEventId === 'string' ? ctx.query.lastEventId : '');
  if (raw === '') return undefined;
  if (!/^\d{1,15}$/.test(raw))
    throw new InvalidRequest('Last-Event-ID must be an event id', { header: 'Last-Event-ID' });
  return Number(raw);
}

/** Turns the response into the stream's event stream. */
function respond(ctx: ParameterizedContext<AppState>, stream: FeedStream): void {
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
  ctx.body = stream.body;
  stream.open();
}
