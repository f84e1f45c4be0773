/**
 * The shared event feed: what open streams cost the database. Idle reads do not grow with the number
 * of streams, a list view connects with one query, a resuming per-execution stream reads its backlog
 * once, many streams get the same events once each, and shutdown ends them all through one listener.
 * Queries are counted with knex's `query` event, over windows measured in the feed's own heartbeats.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Knex } from 'knex';
import { createExecutions } from '../../../server/executions/index.js';
import type { ExecutionEvent } from '../../../server/executions/index.js';
import { EVENTS_TABLE } from '../../../server/storage/tables.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { startApi } from './support/api-harness.js';
import { openSse, type SseStream } from './support/sse-client.js';

const events = (stream: SseStream): ExecutionEvent[] =>
  stream.messages.map((m) => JSON.parse(m.data) as ExecutionEvent);

/** Counts the SQL statements `knex` sends while `during` runs. */
async function countQueries(knex: Knex, during: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const listener = (query: { sql: string }): void => {
    seen.push(query.sql);
  };
  knex.on('query', listener);
  try {
    await during();
  } finally {
    knex.off('query', listener);
  }
  return seen;
}

const heartbeats = (stream: SseStream): number => stream.comments.filter((c) => c === 'heartbeat').length;

/** Waits until `stream` has received `n` more heartbeats: a window of `n` heartbeat intervals of the feed. */
async function heartbeatWindow(stream: SseStream, n: number): Promise<void> {
  await stream.waitFor(() => heartbeats(stream) >= 1, 10_000);
  const start = heartbeats(stream);
  await stream.waitFor(() => heartbeats(stream) >= start + n, 20_000);
}

for (const kind of DATABASE_KINDS) {
  describe(`the shared event feed on ${kind}`, () => {
    test('idle database reads do not grow with the number of open streams', async () => {
      // 10 reads per heartbeat interval: a window of 5 heartbeats is about 50 reads, whatever the stream count.
      const api = await startApi(kind, { eventsPollMs: 20, heartbeatMs: 200 });
      try {
        const created = await api.request('/api/functions/report/executions', {
          method: 'POST',
          json: { text: 'waits' },
        });
        const id = created.body.id as string;
        const urls = [
          `${api.url}/api/events`,
          `${api.url}/api/events?function=report`,
          `${api.url}/api/executions/${id}/events`,
        ];
        const one = await openSse(urls[0]!);
        const alone = await countQueries(api.db.knex, () => heartbeatWindow(one, 5));
        const many: SseStream[] = [];
        for (let i = 0; i < 49; i++) many.push(await openSse(urls[i % urls.length]!));
        await Promise.all(
          many.map((s) => s.waitFor((m) => s.comments.includes('stream open') || m.length > 0)),
        );
        const crowded = await countQueries(api.db.knex, () => heartbeatWindow(one, 5));
        for (const s of [one, ...many]) s.close();
        assert.ok(alone.length > 0, 'the feed reads while a stream is open');
        // Per-stream reads would make this 50 times as many.
        assert.ok(
          crowded.length <= alone.length * 1.5 + 5,
          `1 stream: ${alone.length} queries, 50 streams: ${crowded.length}`,
        );
        assert.ok(many.every((s) => s.status === 200));
      } finally {
        await api.close();
      }
    });

    test('a list view connects with one query, and a resuming execution stream reads its backlog once', async () => {
      // No timed reads during the test: only what connecting costs is counted.
      const api = await startApi(kind, { eventsPollMs: 600_000 });
      try {
        const created = await api.request('/api/functions/report/executions', {
          method: 'POST',
          json: { text: 'backlog' },
        });
        const id = created.body.id as string;
        await api.executions.advance(id, { workerId: 'test-worker' });
        const running = await api.request('/api/functions/report/executions', {
          method: 'POST',
          json: { text: 'running' },
        });
        // Thousands of older events: a connect must not scan them.
        const at = kind === 'sqlite' ? Date.now() : new Date();
        const rows = Array.from({ length: 2500 }, (_, i) => ({
          execution_id: `old-${i}`,
          func_name: 'report',
          at,
          kind: 'progress',
          from_status: null,
          to_status: null,
          data_json: '{}',
        }));
        for (let i = 0; i < rows.length; i += 500)
          await api.db.knex(EVENTS_TABLE).insert(rows.slice(i, i + 500));

        const streams: SseStream[] = [];
        const first = await countQueries(api.db.knex, async () => {
          streams.push(await openSse(`${api.url}/api/events`));
        });
        assert.equal(first.length, 1, `the first stream starts the feed with one query: ${first.join('; ')}`);
        assert.match(first[0]!, /max\(/i);
        const second = await countQueries(api.db.knex, async () => {
          streams.push(await openSse(`${api.url}/api/events?function=report`));
        });
        assert.equal(second.length, 1, `another list view: one query: ${second.join('; ')}`);
        assert.match(second[0]!, /max\(/i);

        const stored = (await api.executions.get(id)).events;
        const resume = await countQueries(api.db.knex, async () => {
          streams.push(
            await openSse(`${api.url}/api/executions/${running.body.id}/events`, { 'Last-Event-ID': '1' }),
          );
        });
        // The execution and its events, read once as `GET /api/executions/:id` reads them; no scan of the table.
        const eventReads = (sql: string[]) => sql.filter((q) => q.includes(EVENTS_TABLE));
        assert.equal(eventReads(resume).length, 1, `resuming an execution's stream: ${resume.join('; ')}`);
        assert.match(eventReads(resume)[0]!, /execution_id[`"]? = (\?|\$1)/);
        assert.ok(
          !resume.some((q) => /max\(/i.test(q)),
          'no newest-id query for an execution stream while the feed runs',
        );
        const ended = await countQueries(api.db.knex, async () => {
          const res = await api.request(`/api/executions/${id}/events`, {
            headers: { 'Last-Event-ID': String(stored.at(-1)!.id) },
          });
          assert.equal(res.status, 204);
        });
        assert.equal(
          eventReads(ended).length,
          1,
          `a finished execution answers 204 after reading it once: ${ended.join('; ')}`,
        );
        for (const s of streams) s.close();
      } finally {
        await api.close();
      }
    });

    test('many streams of one execution and of all events each get every event once, in order, across processes', async () => {
      const api = await startApi(kind, { eventsPollMs: 20 });
      try {
        const created = await api.request('/api/functions/report/executions', {
          method: 'POST',
          json: { text: 'crowd' },
        });
        const id = created.body.id as string;
        const perExecution: SseStream[] = [];
        const lists: SseStream[] = [];
        for (let i = 0; i < 20; i++) {
          perExecution.push(await openSse(`${api.url}/api/executions/${id}/events`));
          lists.push(await openSse(`${api.url}/api/events${i % 2 ? '?function=report' : ''}`));
        }
        const otherProcess = createExecutions({
          knex: api.db.knex,
          functions: api.functions,
          progressThrottleMs: 0,
        });
        await otherProcess.advance(id, { workerId: 'other-worker' });
        await Promise.all(perExecution.map((s) => s.ended()));
        const stored = (await api.executions.get(id)).events.map((e) => e.id);
        for (const s of perExecution)
          assert.deepEqual(
            events(s).map((e) => e.id),
            stored,
          );
        await Promise.all(lists.map((s) => s.waitFor(() => events(s).some((e) => e.to === 'done'))));
        for (const s of lists) {
          s.close();
          // Opened after `created`: the rest, once each, in order.
          assert.deepEqual(
            events(s).map((e) => e.id),
            stored.slice(1),
          );
        }
      } finally {
        await api.close();
      }
    });

    test('shutdown ends every stream through one abort listener: no MaxListenersExceededWarning', async () => {
      const controller = new AbortController();
      const api = await startApi(kind, { signal: controller.signal });
      const warnings: Error[] = [];
      const onWarning = (warning: Error): void => {
        warnings.push(warning);
      };
      process.on('warning', onWarning);
      try {
        const streams: SseStream[] = [];
        for (let i = 0; i < 15; i++) streams.push(await openSse(`${api.url}/api/events`));
        // Warnings are emitted on a later tick; a request after the streams lets them come.
        assert.equal((await api.request('/healthz')).status, 200);
        await new Promise((resolve) => setImmediate(resolve));
        controller.abort();
        await Promise.all(streams.map((s) => s.ended()));
        const late = await openSse(`${api.url}/api/events`);
        await late.ended();
        assert.deepEqual(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map(String), []);
      } finally {
        process.off('warning', onWarning);
        await api.close();
      }
    });
  });
}
