/**
 * Server-Sent Events: a background execution's changes arrive in order, whether made in this process
 * or in another one, the per-execution stream ends with the execution, and `Last-Event-ID` resumes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createExecutions } from '../../../server/executions/index.js';
import type { ExecutionEvent } from '../../../server/executions/index.js';
import { EVENTS_TABLE } from '../../../server/storage/tables.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { openSse, type SseMessage } from './support/sse-client.js';

const events = (messages: SseMessage[]): ExecutionEvent[] =>
  messages.map((m) => JSON.parse(m.data) as ExecutionEvent);
const statuses = (list: ExecutionEvent[]): string[] =>
  list.filter((e) => e.kind === 'status').map((e) => e.to!);

function assertInOrder(messages: SseMessage[]): void {
  const list = events(messages);
  for (const [i, message] of messages.entries())
    assert.equal(message.id, String(list[i]!.id), 'id: is the event id');
  for (let i = 1; i < list.length; i++) assert.ok(list[i]!.id > list[i - 1]!.id, 'ids increase');
}

for (const kind of DATABASE_KINDS) {
  describe(`event streams on ${kind}`, () => {
    let api: ApiHarness;
    before(async () => {
      api = await startApi(kind, { heartbeatMs: 100 });
    });
    after(() => api.close());

    const createReport = async (text: string): Promise<string> => {
      const res = await api.request('/api/functions/report/executions', { method: 'POST', json: { text } });
      assert.equal(res.status, 202);
      return res.body.id as string;
    };

    test('delivers every change of a background execution in order and ends when it ends', async () => {
      const id = await createReport('live');
      const stream = await openSse(`${api.url}/api/executions/${id}/events`);
      assert.equal(stream.status, 200);
      assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
      await stream.waitFor((m) => m.length >= 1);
      assert.deepEqual(statuses(events(stream.messages)), ['created']);
      const result = await api.executions.advance(id, { workerId: 'test-worker' });
      assert.equal(result.next, 'done');
      await stream.ended();
      assertInOrder(stream.messages);
      const list = events(stream.messages);
      assert.equal(statuses(list).at(-1), 'done');
      assert.ok(
        list.some((e) => e.kind === 'progress'),
        'progress event',
      );
      assert.ok(
        list.some((e) => e.kind === 'checkpoint'),
        'checkpoint event',
      );
      assert.ok(list.every((e) => e.executionId === id));
      const stored = (await api.executions.get(id)).events;
      assert.deepEqual(
        list.map((e) => e.id),
        stored.map((e) => e.id),
        'the same events as stored, none missing',
      );
    });

    test('delivers changes made by another process (another service on the same database)', async () => {
      const id = await createReport('elsewhere');
      const stream = await openSse(`${api.url}/api/executions/${id}/events`);
      await stream.waitFor((m) => m.length >= 1);
      const otherProcess = createExecutions({
        knex: api.db.knex,
        functions: api.functions,
        progressThrottleMs: 0,
      });
      await otherProcess.advance(id, { workerId: 'other-worker' });
      await stream.ended();
      assertInOrder(stream.messages);
      assert.equal(statuses(events(stream.messages)).at(-1), 'done');
    });

    test('Last-Event-ID resumes after the given event; a finished execution streams what is left and ends', async () => {
      const id = await createReport('resume');
      await api.executions.advance(id, { workerId: 'test-worker' });
      const all = await openSse(`${api.url}/api/executions/${id}/events`);
      await all.ended();
      assert.ok(all.messages.length >= 4);
      const resumed = await openSse(`${api.url}/api/executions/${id}/events`, {
        'Last-Event-ID': all.messages[1]!.id!,
      });
      await resumed.ended();
      assert.deepEqual(
        resumed.messages.map((m) => m.id),
        all.messages.slice(2).map((m) => m.id),
      );
      const bad = await api.request(`/api/executions/${id}/events`, { headers: { 'Last-Event-ID': 'abc' } });
      assert.equal(bad.status, 400);
    });

    test('GET /api/events?function= streams new events of that function only, with heartbeats', async () => {
      await createReport('before the stream');
      const stream = await openSse(`${api.url}/api/events?function=report`);
      assert.equal(stream.status, 200);
      const id = await createReport('list view');
      await api.request('/api/functions/add/executions', { method: 'POST', json: { a: 1, b: 2 } });
      await api.executions.advance(id, { workerId: 'test-worker' });
      await stream.waitFor((m) => statuses(events(m).filter((e) => e.executionId === id)).includes('done'));
      await stream.waitFor(() => stream.comments.includes('heartbeat'));
      stream.close();
      assertInOrder(stream.messages);
      const list = events(stream.messages);
      assert.ok(
        list.every((e) => e.functionName === 'report'),
        'only report events',
      );
      assert.ok(
        list.every((e) => e.executionId === id),
        'nothing from before the stream opened',
      );
      assert.ok(stream.comments.includes('heartbeat'));
    });

    test('an event committed late behind a newer id (two writers on MariaDB) is still delivered', async () => {
      const id = await createReport('late');
      const stream = await openSse(`${api.url}/api/events?function=report`);
      const { max } = (await api.db.knex(EVENTS_TABLE).max('id as max').first()) as { max: number };
      // Written straight to the table: the only way to make ids commit out of order on demand.
      const row = (offset: number) => ({
        id: Number(max) + offset,
        execution_id: id,
        func_name: 'report',
        at: kind === 'sqlite' ? Date.now() : new Date(),
        kind: 'progress',
        from_status: null,
        to_status: null,
        data_json: JSON.stringify({ fraction: offset / 100 }),
      });
      await api.db.knex(EVENTS_TABLE).insert(row(10));
      await stream.waitFor((m) => m.some((x) => x.id === String(Number(max) + 10)));
      await api.db.knex(EVENTS_TABLE).insert(row(5));
      await stream.waitFor((m) => m.some((x) => x.id === String(Number(max) + 5)));
      stream.close();
      assert.deepEqual(
        stream.messages.map((m) => Number(m.id)),
        [Number(max) + 10, Number(max) + 5],
      );
    });

    test('after the final status a reconnect gets 204 No Content, which stops an EventSource', async () => {
      const id = await createReport('over');
      const live = await openSse(`${api.url}/api/executions/${id}/events`);
      await live.waitFor((m) => m.length >= 1);
      await api.executions.advance(id, { workerId: 'test-worker' });
      await live.ended();
      const last = live.messages.at(-1)!;
      assert.equal(statuses(events([last])).at(0), 'done', 'the stream ends with the final status');
      // What an EventSource sends when it reconnects; also as `?lastEventId=` for clients without headers.
      const again = await api.request(`/api/executions/${id}/events`, {
        headers: { 'Last-Event-ID': last.id! },
      });
      assert.equal(again.status, 204);
      assert.equal(again.body, '');
      assert.equal((await api.request(`/api/executions/${id}/events?lastEventId=${last.id}`)).status, 204);
      // Resuming from before the end still gets what is left, then the stream ends.
      const rest = await openSse(`${api.url}/api/executions/${id}/events`, {
        'Last-Event-ID': live.messages.at(-2)!.id!,
      });
      assert.equal(rest.status, 200);
      await rest.ended();
      assert.deepEqual(
        rest.messages.map((m) => m.id),
        [last.id],
      );
      // A first connect (no Last-Event-ID) to a finished execution gets its whole timeline.
      const first = await openSse(`${api.url}/api/executions/${id}/events`);
      assert.equal(first.status, 200);
      await first.ended();
      assert.deepEqual(
        first.messages.map((m) => m.id),
        live.messages.map((m) => m.id),
      );
    });

    test('an unknown execution is 404 JSON, not a stream', async () => {
      const res = await api.request('/api/executions/00000000-0000-0000-0000-000000000000/events');
      assert.equal(res.status, 404);
      assert.equal(res.body.error.type, 'ExecutionNotFound');
    });
  });
}

for (const kind of DATABASE_KINDS) {
  describe(`event streams of own executions only, on ${kind}`, () => {
    const tokens = { alice: 'alice-token-0123456789', bob: 'bob-token-0123456789ab' };
    const as = (user: keyof typeof tokens) => ({ Authorization: `Bearer ${tokens[user]}` });
    let api: ApiHarness;
    before(async () => {
      api = await startApi(kind, { tokens, ownExecutionsOnly: true });
    });
    after(() => api.close());

    const createReport = async (user: keyof typeof tokens, text: string): Promise<string> => {
      const res = await api.request('/api/functions/report/executions', {
        method: 'POST',
        json: { text },
        headers: as(user),
      });
      assert.equal(res.status, 202);
      return res.body.id as string;
    };

    test("a list view sees only its user's events, live and when resuming", async () => {
      const stream = await openSse(`${api.url}/api/events`, as('alice'));
      const bobsBefore = await createReport('bob', 'bob first');
      const alices = await createReport('alice', 'alice');
      const bobs = await createReport('bob', 'bob');
      // Another process runs them all.
      const worker = createExecutions({ knex: api.db.knex, functions: api.functions, progressThrottleMs: 0 });
      for (const id of [bobsBefore, alices, bobs]) await worker.advance(id, { workerId: 'other-worker' });
      await stream.waitFor((m) => statuses(events(m)).includes('done'));
      stream.close();
      assertInOrder(stream.messages);
      const seen = events(stream.messages);
      assert.ok(seen.length >= 4);
      assert.ok(
        seen.every((e) => e.executionId === alices),
        "only alice's execution",
      );
      assert.ok(
        seen.every((e) => !('user' in e)),
        'events are sent as stored, without the user read for filtering',
      );
      const stored = (await api.executions.get(alices)).events;
      assert.deepEqual(
        seen.map((e) => e.id),
        stored.map((e) => e.id),
      );

      // Resuming from the first event reads the rest from the store, filtered by user in SQL.
      const resumed = await openSse(`${api.url}/api/events`, {
        ...as('alice'),
        'Last-Event-ID': String(stored[0]!.id),
      });
      await resumed.waitFor((m) => m.length >= stored.length - 1);
      resumed.close();
      assert.deepEqual(
        events(resumed.messages).map((e) => e.id),
        stored.slice(1).map((e) => e.id),
      );
      const bobsStream = await openSse(`${api.url}/api/executions/${alices}/events`, as('bob'));
      assert.equal(bobsStream.status, 404, "another user's execution does not exist for bob");
    });
  });
}
