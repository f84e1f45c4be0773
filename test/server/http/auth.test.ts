/**
 * Authentication and own-executions-only, on SQLite and MariaDB.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';
import { createExecutions } from '../../../server/executions/index.js';
import { createApp } from '../../../server/http/create-app.js';
import type { ConfigError } from '../../../server/config.js';
import { Forbidden, Unauthorized } from '../../../server/http/http-errors.js';
import { visibleOwner } from '../../../server/http/routes/execution-access.js';
import { tokenLookup } from '../../../server/http/auth.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { openSse } from './support/sse-client.js';
import { fixtureManifest, fixtureRegistry } from './support/fixture-functions.js';

const tokens = { alice: 'alice-token-0123456789', bob: 'bob-token-0123456789ab' };
const as = (user: keyof typeof tokens) => ({ Authorization: `Bearer ${tokens[user]}` });

test('tokenLookup finds the owner of a token and nothing for a wrong, partial or malformed one', () => {
  const lookup = tokenLookup(tokens);
  assert.equal(lookup(`Bearer ${tokens.alice}`), 'alice');
  assert.equal(lookup(`bearer ${tokens.bob}`), 'bob');
  assert.equal(lookup(`Bearer ${tokens.alice.slice(0, -1)}`), undefined);
  assert.equal(lookup(`Bearer ${tokens.alice}x`), undefined);
  assert.equal(lookup(tokens.alice), undefined);
  assert.equal(lookup('Basic YWxpY2U6eA=='), undefined);
  assert.equal(lookup(''), undefined);
});

for (const kind of DATABASE_KINDS) {
  describe(`auth on ${kind}`, () => {
    let open: ApiHarness;
    let guarded: ApiHarness;
    before(async () => {
      open = await startApi(kind);
      guarded = await startApi(kind, {
        tokens,
        ownExecutionsOnly: true,
        authorize: (user, fn) => !(user === 'bob' && fn === 'explode'),
      });
    });
    after(async () => {
      await open.close();
      await guarded.close();
    });

    test('auth off: no token needed, executions have no user', async () => {
      const res = await open.request('/api/functions/add/executions', {
        method: 'POST',
        json: { a: 1, b: 1 },
      });
      assert.equal(res.status, 201);
      assert.equal(res.body.user, null);
    });

    test('auth on: a missing or wrong token is 401 Unauthorized with WWW-Authenticate: Bearer', async () => {
      for (const headers of [
        {},
        { Authorization: 'Bearer wrong-token-0123456789' },
        { Authorization: tokens.alice },
      ] as Array<Record<string, string>>) {
        const res = await guarded.request('/api/executions', { headers });
        assert.equal(res.status, 401);
        assert.equal(res.body.error.type, 'Unauthorized');
        assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
      }
      assert.equal((await guarded.request('/healthz')).status, 200, '/healthz stays public');
    });

    test('the user is recorded on every execution they create', async () => {
      const sync = await guarded.request('/api/functions/add/executions', {
        method: 'POST',
        headers: as('alice'),
        json: { a: 1, b: 2 },
      });
      assert.equal(sync.status, 201);
      assert.equal(sync.body.user, 'alice');
      const bg = await guarded.request('/api/functions/report/executions', {
        method: 'POST',
        headers: as('alice'),
        json: { text: 'mine' },
      });
      assert.equal((await guarded.executions.get(bg.body.id)).user, 'alice');
      const rerun = await guarded.request(`/api/executions/${bg.body.id}/rerun`, {
        method: 'POST',
        headers: as('alice'),
      });
      assert.equal(rerun.body.user, 'alice');
    });

    test('authorize returning false is 403 Forbidden', async () => {
      const res = await guarded.request('/api/functions/explode/executions', {
        method: 'POST',
        headers: as('bob'),
        json: {},
      });
      assert.equal(res.status, 403);
      assert.equal(res.body.error.type, 'Forbidden');
    });

    test('authorize also guards rerun and cancel: refused a function, a user can neither re-run nor cancel its runs', async () => {
      // Bob's own explode run, made before he was refused explode (straight in the store).
      const run = await guarded.executions.create('explode', {}, { user: 'bob' });
      for (const action of ['rerun', 'cancel']) {
        const res = await guarded.request(`/api/executions/${run.id}/${action}`, {
          method: 'POST',
          headers: as('bob'),
        });
        assert.equal(res.status, 403, action);
        assert.equal(res.body.error.type, 'Forbidden');
        assert.deepEqual(res.body.error.details, { function: 'explode', action });
      }
      assert.equal((await guarded.executions.get(run.id)).status, 'created', 'not cancelled');
      const bobs = await guarded.executions.list({ user: 'bob', functionName: 'explode', limit: 10 });
      assert.deepEqual(
        bobs.items.map((e) => e.id),
        [run.id],
        'not re-run',
      );
    });

    test("own executions only: another user's execution is 404 everywhere and absent from lists", async () => {
      const mine = await guarded.request('/api/functions/report/executions', {
        method: 'POST',
        headers: as('alice'),
        json: { text: 'private' },
      });
      const id = mine.body.id as string;
      for (const [path, method] of [
        [`/api/executions/${id}`, 'GET'],
        [`/api/executions/${id}/events`, 'GET'],
        [`/api/executions/${id}/cancel`, 'POST'],
        [`/api/executions/${id}/rerun`, 'POST'],
      ] as const) {
        const res = await guarded.request(path, { method, headers: as('bob') });
        assert.equal(res.status, 404, `${method} ${path}`);
        assert.equal(res.body.error.type, 'ExecutionNotFound');
      }
      assert.equal((await guarded.executions.get(id)).status, 'created', "bob's cancel changed nothing");
      const bobs = await guarded.request('/api/executions', { headers: as('bob') });
      assert.ok(bobs.body.items.every((e: { user: string }) => e.user === 'bob'));
      const bobAsksForAlice = await guarded.request('/api/executions?user=alice', { headers: as('bob') });
      assert.deepEqual(bobAsksForAlice.body.items, []);
      const alices = await guarded.request('/api/executions', { headers: as('alice') });
      assert.ok(alices.body.items.some((e: { id: string }) => e.id === id));
      assert.equal((await guarded.request(`/api/executions/${id}`, { headers: as('alice') })).status, 200);
    });

    test("own executions only: the list event stream carries only the user's own executions", async () => {
      const stream = await openSse(`${guarded.url}/api/events?function=report`, as('bob'));
      const alices = await guarded.request('/api/functions/report/executions', {
        method: 'POST',
        headers: as('alice'),
        json: { text: 'a' },
      });
      const bobs = await guarded.request('/api/functions/report/executions', {
        method: 'POST',
        headers: as('bob'),
        json: { text: 'b' },
      });
      await guarded.executions.advance(alices.body.id, { workerId: 'test' });
      await guarded.executions.advance(bobs.body.id, { workerId: 'test' });
      await stream.waitFor((m) =>
        m.some((x) => JSON.parse(x.data).executionId === bobs.body.id && JSON.parse(x.data).to === 'done'),
      );
      stream.close();
      const ids = new Set(stream.messages.map((m) => JSON.parse(m.data).executionId));
      assert.deepEqual([...ids], [bobs.body.id]);
    });
  });
}

test('ownExecutionsOnly without auth, or a scheduler option, is a ConfigError at createApp, and an own-only route refuses a request without a user', async () => {
  const db = await createTestDatabase('sqlite', 'own-only');
  try {
    const functions = fixtureRegistry().bind(fixtureManifest, { manifestDir: '.', checkSources: false });
    const executions = createExecutions({ knex: db.knex, functions });
    assert.throws(
      () => createApp({ executions, functions, knex: db.knex, ownExecutionsOnly: true }),
      (err: ConfigError) => err.type === 'ConfigError' && err.details.setting === 'ownExecutionsOnly',
    );
    // A caller from before the scheduler moved to the executions service hears of it instead of losing its runs to the sweep.
    assert.throws(
      () =>
        createApp({
          executions,
          functions,
          knex: db.knex,
          scheduler: { enqueue: async () => {} },
        } as Parameters<typeof createApp>[0]),
      (err: ConfigError) => err.type === 'ConfigError' && err.details.setting === 'scheduler',
    );
  } finally {
    await db.destroy();
  }
  assert.throws(() => visibleOwner(undefined, true), Unauthorized);
  assert.equal(visibleOwner('alice', true), 'alice');
  assert.equal(
    visibleOwner(undefined, false),
    undefined,
    'without ownExecutionsOnly everyone sees everything',
  );
});

describe('an authenticate hook', () => {
  let api: ApiHarness;
  before(async () => {
    api = await startApi('sqlite', {
      authenticate: (ctx) => {
        if (ctx.get('X-Banned') === 'yes') throw new Forbidden('banned');
        return ctx.get('X-User') || undefined;
      },
    });
  });
  after(() => api.close());

  test('its user is recorded; nothing is 401; a thrown Forbidden is 403', async () => {
    const res = await api.request('/api/functions/add/executions', {
      method: 'POST',
      headers: { 'X-User': 'carol' },
      json: { a: 0, b: 0 },
    });
    assert.equal(res.body.user, 'carol');
    assert.equal((await api.request('/api/functions')).status, 401);
    const banned = await api.request('/api/functions', { headers: { 'X-User': 'carol', 'X-Banned': 'yes' } });
    assert.equal(banned.status, 403);
    assert.equal(banned.body.error.type, 'Forbidden');
  });
});
