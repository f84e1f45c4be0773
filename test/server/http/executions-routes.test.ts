/**
 * `/api/executions`: history with keyset pagination, one execution, cancel and rerun, on SQLite and
 * MariaDB.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DATABASE_KINDS } from '../../support/databases.js';
import { startApi, type ApiHarness } from './support/api-harness.js';

for (const kind of DATABASE_KINDS) {
  describe(`/api/executions on ${kind}`, () => {
    let api: ApiHarness;
    const enqueued: string[] = [];
    const created: string[] = [];
    before(async () => {
      api = await startApi(kind, {
        scheduler: {
          enqueue: (execution) => {
            enqueued.push(execution.id);
          },
        },
      });
      for (let i = 0; i < 5; i++) {
        const res = await api.request('/api/functions/add/executions', {
          method: 'POST',
          json: { a: i, b: 0 },
        });
        created.push(res.body.id);
      }
      const bg = await api.request('/api/functions/report/executions', {
        method: 'POST',
        json: { text: 'x' },
      });
      created.push(bg.body.id);
    });
    after(() => api.close());

    test('lists newest first and pages with the next cursor until null, without repeats', async () => {
      const seen: string[] = [];
      const times: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await api.request(
          `/api/executions?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        assert.equal(res.status, 200);
        assert.ok(res.body.items.length <= 2);
        seen.push(...res.body.items.map((e: { id: string }) => e.id));
        times.push(...res.body.items.map((e: { createdAt: string }) => e.createdAt));
        cursor = res.body.next;
        pages++;
      } while (cursor && pages < 10);
      assert.equal(pages, 3);
      assert.deepEqual([...seen].sort(), [...created].sort());
      assert.equal(new Set(seen).size, seen.length);
      assert.deepEqual(times, [...times].sort().reverse());
    });

    test('filters by function and status', async () => {
      const adds = await api.request('/api/executions?function=add');
      assert.equal(adds.body.items.length, 5);
      assert.ok(adds.body.items.every((e: { functionName: string }) => e.functionName === 'add'));
      const createdOnes = await api.request('/api/executions?status=created');
      assert.deepEqual(
        createdOnes.body.items.map((e: { id: string }) => e.id),
        [created[5]],
      );
    });

    test('a bad query is 400 with the parameter named', async () => {
      for (const query of [
        'status=finished',
        'limit=0',
        'limit=abc',
        'limit=501',
        'createdAfter=yesterday',
        'status=done&status=created',
      ]) {
        const res = await api.request(`/api/executions?${query}`);
        assert.equal(res.status, 400, query);
        assert.equal(res.body.error.type, 'InvalidRequest', query);
      }
      const cursor = await api.request('/api/executions?cursor=not-a-cursor');
      assert.equal(cursor.status, 400);
      assert.equal(cursor.body.error.type, 'ValidationError');
    });

    test('GET /api/executions/:id has the execution with its events; an unknown id is 404', async () => {
      const res = await api.request(`/api/executions/${created[0]}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.output, 0);
      assert.deepEqual(
        res.body.events.filter((e: { kind: string }) => e.kind === 'status').at(-1).to,
        'done',
      );
      const missing = await api.request('/api/executions/00000000-0000-0000-0000-000000000000');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.type, 'ExecutionNotFound');
    });

    test('cancel: 200 with the cancelled execution; 409 IllegalTransition once it has ended', async () => {
      const bg = await api.request('/api/functions/report/executions', {
        method: 'POST',
        json: { text: 'to cancel' },
      });
      const cancelled = await api.request(`/api/executions/${bg.body.id}/cancel`, { method: 'POST' });
      assert.equal(cancelled.status, 200);
      assert.equal(cancelled.body.status, 'cancelled');
      const again = await api.request(`/api/executions/${bg.body.id}/cancel`, { method: 'POST' });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.type, 'IllegalTransition');
      const done = await api.request(`/api/executions/${created[0]}/cancel`, { method: 'POST' });
      assert.equal(done.status, 409);
      assert.equal((await api.executions.get(created[0]!)).status, 'done');
      const missing = await api.request('/api/executions/nope/cancel', { method: 'POST' });
      assert.equal(missing.status, 404);
    });

    test('rerun: 202 + Location with a new execution of the same inputs, enqueued', async () => {
      const res = await api.request(`/api/executions/${created[5]}/rerun`, { method: 'POST' });
      assert.equal(res.status, 202);
      assert.notEqual(res.body.id, created[5]);
      assert.equal(res.body.rerunOf, created[5]);
      assert.deepEqual(res.body.input, { text: 'x', tags: [], flowcell_type: 'ips' });
      assert.equal(res.headers.get('location'), `/api/executions/${res.body.id}`);
      assert.ok(enqueued.includes(res.body.id));
      const missing = await api.request('/api/executions/nope/rerun', { method: 'POST' });
      assert.equal(missing.status, 404);
    });

    test('a wrong method is 405 MethodNotAllowed with Allow', async () => {
      const res = await api.request(`/api/executions/${created[0]}`, { method: 'DELETE' });
      assert.equal(res.status, 405);
      assert.equal(res.body.error.type, 'MethodNotAllowed');
      assert.match(res.headers.get('allow') ?? '', /GET/);
    });
  });
}
