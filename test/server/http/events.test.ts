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

const events = (messages: SseMessage[]): ExecutionEvent[] => messages.map((m) => JSON.parse(m.data) as ExecutionEvent);
const statuses = (list: ExecutionEvent[]): string[] => list.filter((e) => e.kind === 'status').map((e) => e.to!);

function assertInOrder(messages: SseMessage[]): void {
  const list = events(messages);
  for (const [i, message] of messages.entries()) assert.equal(message.id, String(list[i]!.id), 'id: is the event id');
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
      assert.ok(list.some((e) => e.kind === 'progress'), 'progress event');
      assert.ok(list.some((e) => e.kind === 'checkpoint'), 'checkpoint event');
      assert.ok(list.every((e) => e.executionId === id));
      const stored = (await api.executions.get(id)).events;
      assert.deepEqual(list.map((e) => e.id), stored.map((e) => e.id), 'the same events as stored, none missing');
    });

    test('delivers changes made by another process (another service on the same database)', async () => {
      const id = await createReport('elsewhere');
      const stream = await openSse(`${api.url}/api/executions/${id}/events`);
      await stream.waitFor((m) => m.length >= 1);
      const otherProcess = createExecutions({ knex: api.db.knex, functions: api.functions, progressThrottleMs: 0 });
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
      const resumed = await openSse(`${api.url}/api/executions/${id}/events`, { 'Last-Event-ID': all.messages[1]!.id! });
      await resumed.ended();
      assert.deepEqual(resumed.messages.map((m) => m.id), all.messages.slice(2).map((m) => m.id));
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
      assert.ok(list.every((e) => e.functionName === 'report'), 'only report events');
      assert.ok(list.every((e) => e.executionId === id), 'nothing from before the stream opened');
      assert.ok(stream.comments.includes('heartbeat'));
    });

    test('an event committed late behind a newer id (two writers on MariaDB) is still delivered', async () => {
      const id = await createReport('late');
      const stream = await openSse(`${api.url}/api/events?function=report`);
      const { max } = (await api.db.knex(EVENTS_TABLE).max('id as max').first()) as { max: number };
      // Written straight to the table: the only way to make ids commit out of order on demand.
      const row = (offset: number) => ({
        id: Number(max) + offset, execution_id: id, func_name: 'report', at: kind === 'mysql' ? new Date() : Date.now(),
        kind: 'progress', from_status: null, to_status: null, data_json: JSON.stringify({ fraction: offset / 100 }),
      });
      await api.db.knex(EVENTS_TABLE).insert(row(10));
      await stream.waitFor((m) => m.some((x) => x.id === String(Number(max) + 10)));
      await api.db.knex(EVENTS_TABLE).insert(row(5));
      await stream.waitFor((m) => m.some((x) => x.id === String(Number(max) + 5)));
      stream.close();
      assert.deepEqual(stream.messages.map((m) => Number(m.id)), [Number(max) + 10, Number(max) + 5]);
    });

    test('an unknown execution is 404 JSON, not a stream', async () => {
      const res = await api.request('/api/executions/00000000-0000-0000-0000-000000000000/events');
      assert.equal(res.status, 404);
      assert.equal(res.body.error.type, 'ExecutionNotFound');
    });
  });
}
