/**
 * `/api/schedules` over HTTP (SQLite only: the storage behaviour is in
 * test/server/scheduler/schedules.test.ts): create with inputs validated now, each problem named by
 * its path; list, get, pause, resume, delete and the illegal changes (409); secrets masked; auth and
 * `authorize` as for executions; `?schedule=` on the executions list.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { REDACTED } from '../../../api/execution.js';
import { startApi, type ApiHarness } from './support/api-harness.js';

describe('/api/schedules', () => {
  let api: ApiHarness;
  const post = (path: string, json?: unknown) =>
    api.request(path, { method: 'POST', ...(json !== undefined && { json }) });

  before(async () => {
    api = await startApi('sqlite', {
      withSchedules: true,
      tokens: { alice: 'a-token', bob: 'b-token' },
      authorize: (user, fn) => user === 'alice' || fn !== 'connect',
    });
  });
  after(() => api.close());

  const as = (user: 'alice' | 'bob', path: string, init: RequestInit & { json?: unknown } = {}) =>
    api.request(path, { ...init, headers: { authorization: `Bearer ${user[0]}-token` } });

  test('creates a schedule with validated inputs (defaults applied), answers it at its Location', async () => {
    const res = await as('alice', '/api/schedules', {
      method: 'POST',
      json: { function: 'report', cron: '0 3 * * *', timezone: 'Europe/Berlin', input: { text: 'hi' } },
    });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('location'), `/api/schedules/${res.body.id}`);
    assert.deepEqual(
      { ...res.body, id: undefined, nextRunAt: undefined },
      {
        id: undefined,
        functionName: 'report',
        cron: '0 3 * * *',
        timezone: 'Europe/Berlin',
        input: { text: 'hi', tags: [], flowcell_type: 'ips' },
        redactedInputs: [],
        source: 'api',
        paused: false,
        nextRunAt: undefined,
        lastRunAt: null,
      },
    );
    assert.ok(Date.parse(res.body.nextRunAt) > Date.now());
    const got = await as('alice', res.headers.get('location')!);
    assert.deepEqual(got.body, res.body);
  });

  test('refuses bad definitions with 400 naming each problem, an unknown function with 404', async () => {
    const bad = await as('alice', '/api/schedules', {
      method: 'POST',
      json: { function: 'report', cron: 'every day', timezone: 'Mars/Base', input: { tags: 3 } },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.type, 'ValidationError');
    assert.deepEqual(bad.body.error.details.errors.map((e: { path: string }) => e.path).sort(), [
      '/cron',
      '/input/tags',
      '/input/text',
      '/timezone',
    ]);
    const messages = Object.fromEntries(
      bad.body.error.details.errors.map((e: { path: string; message: string }) => [e.path, e.message]),
    );
    assert.match(messages['/cron'], /"every day"/);
    assert.match(messages['/timezone'], /"Mars\/Base"/);
    const shape = await as('alice', '/api/schedules', { method: 'POST', json: { cron: 5, extra: 1 } });
    assert.equal(shape.status, 400);
    assert.deepEqual(shape.body.error.details.errors.map((e: { path: string }) => e.path).sort(), [
      '/cron',
      '/extra',
      '/function',
    ]);
    const sync = await as('alice', '/api/schedules', {
      method: 'POST',
      json: { function: 'add', cron: '@daily', input: { a: 1, b: 2 } },
    });
    assert.equal(sync.status, 400);
    assert.deepEqual(
      sync.body.error.details.errors.map((e: { path: string }) => e.path),
      ['/function'],
    );
    const unknown = await as('alice', '/api/schedules', {
      method: 'POST',
      json: { function: 'nope', cron: '@daily' },
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.type, 'UnknownFunction');
  });

  test('pauses and resumes; pausing a paused one or resuming a running one is 409', async () => {
    const { body: s } = await as('alice', '/api/schedules', {
      method: 'POST',
      json: { function: 'report', cron: '*/10 * * * *', input: { text: 'p' } },
    });
    const paused = await as('alice', `/api/schedules/${s.id}/pause`, { method: 'POST' });
    assert.equal(paused.status, 200);
    assert.equal(paused.body.paused, true);
    assert.equal(paused.body.nextRunAt, null);
    const again = await as('alice', `/api/schedules/${s.id}/pause`, { method: 'POST' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.type, 'IllegalScheduleChange');
    const resumed = await as('alice', `/api/schedules/${s.id}/resume`, { method: 'POST' });
    assert.equal(resumed.status, 200);
    assert.equal(resumed.body.paused, false);
    assert.ok(Date.parse(resumed.body.nextRunAt) > Date.now());
    assert.equal((await as('alice', `/api/schedules/${s.id}/resume`, { method: 'POST' })).status, 409);
    assert.equal((await as('alice', '/api/schedules/nope/pause', { method: 'POST' })).status, 404);
  });

  test('deletes: 200 with the schedule as it was, then 404', async () => {
    const { body: s } = await as('alice', '/api/schedules', {
      method: 'POST',
      json: { function: 'report', cron: '@hourly', input: { text: 'd' } },
    });
    const deleted = await as('alice', `/api/schedules/${s.id}`, { method: 'DELETE' });
    assert.equal(deleted.status, 200);
    assert.equal(deleted.body.id, s.id);
    const gone = await as('alice', `/api/schedules/${s.id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.type, 'ScheduleNotFound');
  });

  test('masks secrets; needs a token; authorize decides per function (a list shows only those)', async () => {
    const { body: s, status } = await as('alice', '/api/schedules', {
      method: 'POST',
      json: { function: 'connect', cron: '@daily', input: { server: { host: 'h', password: 'pw' } } },
    });
    assert.equal(status, 201);
    assert.deepEqual(s.input.server, { host: 'h', password: REDACTED });
    assert.deepEqual(s.redactedInputs, ['/server/password']);
    assert.equal((await post('/api/schedules', {})).status, 401);
    assert.equal((await api.request('/api/schedules')).status, 401);
    assert.equal((await as('bob', `/api/schedules/${s.id}/pause`, { method: 'POST' })).status, 403);
    const bobs = await as('bob', '/api/schedules');
    assert.ok(bobs.body.items.length > 0);
    assert.ok(bobs.body.items.every((x: { functionName: string }) => x.functionName !== 'connect'));
    const alices = await as('alice', '/api/schedules');
    assert.ok(alices.body.items.some((x: { id: string }) => x.id === s.id));
  });

  test('the executions list filters by schedule', async () => {
    const fired = await api.executions.create(
      'report',
      { text: 'f' },
      { user: 'schedule:s1', scheduleId: 's1' },
    );
    await api.executions.create('report', { text: 'other' });
    const res = await as('alice', '/api/executions?schedule=s1');
    assert.deepEqual(
      res.body.items.map((e: { id: string; scheduleId: string }) => [e.id, e.scheduleId]),
      [[fired.id, 's1']],
    );
  });
});
