/**
 * The routes that run or change executions only translate what the executions service decided:
 * 201 for a run finished in the request, 202 + Location for a background one (handed to the
 * scheduler by the service; a failed hand-off is logged and the execution still accepted), and
 * another user's execution is 404 without any of its events being read. On SQLite and MariaDB.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EVENTS_TABLE } from '../../../server/storage/tables.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { startApi, type ApiHarness } from './support/api-harness.js';

const tokens = { alice: 'alice-token-0123456789', bob: 'bob-token-0123456789ab' };
const alice = { Authorization: `Bearer ${tokens.alice}` };
const bob = { Authorization: `Bearer ${tokens.bob}` };

for (const kind of DATABASE_KINDS) {
  describe(`submitting through the API on ${kind}`, () => {
    let api: ApiHarness;
    before(async () => {
      api = await startApi(kind, {
        tokens,
        ownExecutionsOnly: true,
        scheduler: {
          enqueue: async () => {
            throw new Error('agenda is down');
          },
        },
      });
    });
    after(async () => {
      await api.close();
    });

    /** SELECTs of events sent through Knex while `run` runs (the events of an execution are read through Knex on every database). */
    async function eventReads(run: () => Promise<unknown>): Promise<string[]> {
      const seen: string[] = [];
      const listener = (query: { sql: string }) => {
        if (/^\s*select/i.test(query.sql) && query.sql.includes(EVENTS_TABLE)) seen.push(query.sql);
      };
      api.db.knex.on('query', listener);
      try {
        await run();
      } finally {
        api.db.knex.off('query', listener);
      }
      return seen;
    }

    test('a sync function answers 201 with the finished execution', async () => {
      const res = await api.request('/api/functions/add/executions', {
        method: 'POST',
        headers: alice,
        json: { a: 1, b: 2 },
      });
      assert.equal(res.status, 201);
      assert.equal(res.body.status, 'done');
      assert.equal(res.headers.get('location'), `/api/executions/${res.body.id}`);
    });

    test('a background function is accepted (202) though the scheduler refuses it; the failure is logged', async () => {
      const res = await api.request('/api/functions/report/executions', {
        method: 'POST',
        headers: alice,
        json: { text: 'hi' },
      });
      assert.equal(res.status, 202);
      assert.equal(res.body.status, 'created');
      assert.equal(res.headers.get('location'), `/api/executions/${res.body.id}`);
      const stored = await api.request(`/api/executions/${res.body.id}`, { headers: alice });
      assert.equal(stored.status, 200);
      assert.equal(stored.body.status, 'created');
      const warning = api.logs.find((line) => line.executionId === res.body.id && line.level === 40);
      assert.ok(warning, 'the failed hand-off was logged');
      assert.match(String(warning.msg), /could not enqueue/);
    });

    test("another user's execution is 404 for get, cancel and rerun, and none of its events is read", async () => {
      const created = await api.request('/api/functions/report/executions', {
        method: 'POST',
        headers: alice,
        json: { text: 'mine' },
      });
      const id = created.body.id as string;
      const reads = await eventReads(async () => {
        for (const [method, path] of [
          ['GET', ''],
          ['POST', '/cancel'],
          ['POST', '/rerun'],
        ] as const) {
          const res = await api.request(`/api/executions/${id}${path}`, { method, headers: bob });
          assert.equal(res.status, 404, `${method} ${path}`);
          assert.equal(res.body.error.type, 'ExecutionNotFound');
        }
      });
      assert.deepEqual(reads, []);
      assert.equal((await api.executions.get(id)).status, 'created', 'not cancelled');
      assert.equal((await api.executions.list({ user: 'bob' })).items.length, 0, 'nothing re-run');
    });

    test('the owner cancels and reruns without any event being read', async () => {
      const created = await api.request('/api/functions/report/executions', {
        method: 'POST',
        headers: alice,
        json: { text: 'again' },
      });
      const id = created.body.id as string;
      let cancel: Awaited<ReturnType<ApiHarness['request']>> | undefined;
      let rerun: Awaited<ReturnType<ApiHarness['request']>> | undefined;
      const reads = await eventReads(async () => {
        cancel = await api.request(`/api/executions/${id}/cancel`, { method: 'POST', headers: alice });
        rerun = await api.request(`/api/executions/${id}/rerun`, { method: 'POST', headers: alice });
      });
      assert.equal(cancel!.status, 200);
      assert.equal(cancel!.body.status, 'cancelled');
      assert.equal(rerun!.status, 202);
      assert.equal(rerun!.body.rerunOf, id);
      assert.deepEqual(reads, []);
      // The control: reading an execution with its events is seen.
      assert.notDeepEqual(
        await eventReads(() => api.request(`/api/executions/${id}`, { headers: alice })),
        [],
      );
    });
  });
}
