/**
 * `/api/functions`: listing, describing and running functions, over HTTP on SQLite and MariaDB.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DATABASE_KINDS } from '../../support/databases.js';
import { startApi, type ApiHarness } from './support/api-harness.js';

for (const kind of DATABASE_KINDS) {
  describe(`/api/functions on ${kind}`, () => {
    let api: ApiHarness;
    const enqueued: string[] = [];
    before(async () => {
      api = await startApi(kind, {
        scheduler: {
          enqueue: (execution) => {
            enqueued.push(execution.id);
          },
        },
      });
    });
    after(() => api.close());

    test('GET /api/functions lists every function with its mode and schemas, without source paths', async () => {
      const res = await api.request('/api/functions');
      assert.equal(res.status, 200);
      const byName = Object.fromEntries(res.body.items.map((f: { name: string }) => [f.name, f]));
      assert.deepEqual(Object.keys(byName).sort(), ['add', 'connect', 'explode', 'login', 'noop', 'report']);
      assert.equal(byName.add.mode, 'sync');
      assert.equal(byName.report.mode, 'async');
      assert.deepEqual(byName.add.params.required, ['a', 'b']);
      assert.equal(byName.add.returns.type, 'number');
      assert.equal(byName.add.source, undefined);
    });

    test('GET /api/functions/:name describes one; an unknown name is 404 UnknownFunction', async () => {
      const one = await api.request('/api/functions/add');
      assert.equal(one.status, 200);
      assert.equal(one.body.description, 'Adds two numbers (sync).');
      const missing = await api.request('/api/functions/nope');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.type, 'UnknownFunction');
      assert.deepEqual(missing.body.error.details, { name: 'nope' });
    });

    test('a sync function runs in the request: 201 with the finished execution, stored', async () => {
      const res = await api.request('/api/functions/add/executions', {
        method: 'POST',
        json: { a: 2, b: 3 },
      });
      assert.equal(res.status, 201);
      assert.equal(res.body.status, 'done');
      assert.equal(res.body.output, 5);
      assert.equal(res.headers.get('location'), `/api/executions/${res.body.id}`);
      const stored = await api.executions.get(res.body.id);
      assert.equal(stored.status, 'done');
      assert.deepEqual(stored.input, { a: 2, b: 3 });
    });

    test('a sync function that throws answers 201 with the errored execution', async () => {
      const res = await api.request('/api/functions/explode/executions', { method: 'POST', json: {} });
      assert.equal(res.status, 201);
      assert.equal(res.body.status, 'errored');
      assert.equal(res.body.error.message, 'boom');
    });

    test('a background function answers 202 + Location with the created execution, and is enqueued', async () => {
      const res = await api.request('/api/functions/report/executions', {
        method: 'POST',
        json: { text: 'hello' },
      });
      assert.equal(res.status, 202);
      assert.equal(res.body.status, 'created');
      assert.equal(res.headers.get('location'), `/api/executions/${res.body.id}`);
      assert.deepEqual(res.body.input, { text: 'hello', tags: [], flowcell_type: 'ips' });
      assert.ok(enqueued.includes(res.body.id));
      assert.equal((await api.executions.get(res.body.id)).status, 'created');
    });

    test('invalid inputs are 400 ValidationError listing every problem with its path; nothing is stored', async () => {
      const before = (await api.executions.list({ limit: 500 })).items.length;
      const res = await api.request('/api/functions/report/executions', {
        method: 'POST',
        json: { tags: [1], flowcell_type: 'x', extra: true },
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.type, 'ValidationError');
      const paths = res.body.error.details.errors.map((e: { path: string }) => e.path).sort();
      assert.ok(paths.includes('/text'), `missing /text in ${paths}`);
      assert.ok(paths.includes('/tags/0'), `missing /tags/0 in ${paths}`);
      assert.ok(paths.includes('/flowcell_type'), `missing /flowcell_type in ${paths}`);
      const wrongType = await api.request('/api/functions/add/executions', {
        method: 'POST',
        json: { a: 'one', b: 2 },
      });
      assert.equal(wrongType.status, 400);
      assert.deepEqual(
        wrongType.body.error.details.errors.map((e: { path: string }) => e.path),
        ['/a'],
      );
      const array = await api.request('/api/functions/add/executions', { method: 'POST', json: [1, 2] });
      assert.equal(array.status, 400);
      assert.equal(array.body.error.type, 'ValidationError');
      assert.equal((await api.executions.list({ limit: 500 })).items.length, before);
    });

    test('Idempotency-Key: a retried create returns the first execution, for background and sync functions', async () => {
      const headers = { 'Idempotency-Key': `key-${kind}-1` };
      const first = await api.request('/api/functions/report/executions', {
        method: 'POST',
        headers,
        json: { text: 'once' },
      });
      const second = await api.request('/api/functions/report/executions', {
        method: 'POST',
        headers,
        json: { text: 'once' },
      });
      assert.equal(first.status, 202);
      assert.equal(second.body.id, first.body.id);
      const syncHeaders = { 'Idempotency-Key': `key-${kind}-2` };
      const a = await api.request('/api/functions/add/executions', {
        method: 'POST',
        headers: syncHeaders,
        json: { a: 1, b: 1 },
      });
      const b = await api.request('/api/functions/add/executions', {
        method: 'POST',
        headers: syncHeaders,
        json: { a: 1, b: 1 },
      });
      assert.equal(b.body.id, a.body.id);
      const all = await api.executions.list({ limit: 500 });
      assert.equal(all.items.filter((e) => e.id === first.body.id || e.id === a.body.id).length, 2);
      const bad = await api.request('/api/functions/add/executions', {
        method: 'POST',
        headers: { 'Idempotency-Key': 'x'.repeat(300) },
        json: { a: 1, b: 1 },
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.type, 'InvalidRequest');
    });
  });
}
