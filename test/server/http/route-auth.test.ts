/**
 * Every route of the app, read from its routers (`router.stack`), refuses a request without a valid
 * token, under every spelling of its path: letter case, percent-encoding, double and trailing
 * slashes. None reaches a handler: the answer is a 401, or a 404/405 from routing, never data of an
 * execution, and nothing is created, cancelled or re-run. On SQLite and MariaDB.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Layer } from '@koa/router';
import type Koa from 'koa';
import { HTTP_ONLY_KINDS } from '../../support/databases.js';
import { startApi, type ApiHarness } from './support/api-harness.js';

const tokens = { alice: 'alice-token-0123456789', bob: 'bob-token-0123456789ab' };
const alice = { Authorization: `Bearer ${tokens.alice}` };
/** Routes anyone may call; every other route needs a token. */
const PUBLIC_ROUTES = [
  '/healthz',
  '/turtle/elements.js',
  '/turtle/graphiql.js',
  '/turtle/graphiql.css',
  '/api/openapi.json',
];
/** What a refusal may be: from auth or from routing, never from a handler (e.g. `ExecutionNotFound`). */
const REFUSALS: Record<number, string> = {
  401: 'Unauthorized',
  404: 'RouteNotFound',
  405: 'MethodNotAllowed',
};
const INPUT_MARKER = 'alice-private-input-7f3a';

/** The routes (layers with methods) of every router the app uses, through the routers' public `stack`. */
function routesOf(app: Koa<any>): Layer[] {
  return app.middleware.flatMap((mw) =>
    ((mw as { router?: { stack: Layer[] } }).router?.stack ?? []).filter((layer) => layer.methods.length > 0),
  );
}

/** Spellings of `route` (params substituted) that a careless gate would miss. */
function variants(route: string): string[] {
  const [, first, ...rest] = route.split('/');
  const second = rest[0] ?? '';
  const tail = rest
    .slice(1)
    .map((s) => `/${s}`)
    .join('');
  const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const encodeFirst = (s: string) => `%${s.charCodeAt(0).toString(16)}${s.slice(1)}`;
  const list = [
    route,
    route.toUpperCase(),
    `/${capital(first!)}/${rest.map(capital).join('/')}`,
    `/${encodeFirst(first!)}/${rest.join('/')}`,
    `//${first}/${rest.join('/')}`,
    `${route}/`,
  ];
  if (second) {
    list.push(`/${first}/${encodeFirst(second)}${tail}`, `/${first}//${second}${tail}`);
  }
  return [...new Set(list)];
}

for (const kind of HTTP_ONLY_KINDS) {
  describe(`every route needs a token, on ${kind}`, () => {
    let api: ApiHarness;
    let dir: string;
    let seeded: { background: string; sync: string };
    before(async () => {
      // A static folder holding files named like API routes must not answer for them either.
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turtle-route-auth-'));
      for (const name of ['api/executions', 'API/executions', 'Api/Executions']) {
        fs.mkdirSync(path.join(dir, path.dirname(name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), 'STATIC-FILE');
      }
      fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>page</title>');
      api = await startApi(kind, {
        tokens,
        ownExecutionsOnly: true,
        staticDir: dir,
        withSchedules: true,
        graphql: true,
      });
      const background = await api.request('/api/functions/report/executions', {
        method: 'POST',
        headers: alice,
        json: { text: INPUT_MARKER },
      });
      assert.equal(background.status, 202);
      const sync = await api.request('/api/functions/add/executions', {
        method: 'POST',
        headers: alice,
        json: { a: 40, b: 2 },
      });
      assert.equal(sync.status, 201);
      seeded = { background: background.body.id, sync: sync.body.id };
    });
    after(async () => {
      await api.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('the routers hold the expected routes, and only the known public ones are public', () => {
      const paths = [...new Set(routesOf(api.app).map((layer) => String(layer.path)))];
      for (const p of PUBLIC_ROUTES) assert.ok(paths.includes(p), `${p} is routed`);
      for (const p of [
        '/api/functions',
        '/api/functions/:name',
        '/api/functions/:name/executions',
        '/api/executions',
        '/api/executions/:id',
        '/api/executions/:id/cancel',
        '/api/executions/:id/rerun',
        '/api/executions/:id/events',
        '/api/events',
        '/api/schedules',
        '/api/schedules/:id',
        '/api/schedules/:id/pause',
        '/api/schedules/:id/resume',
        '/graphql',
      ]) {
        assert.ok(paths.includes(p), `${p} is routed`);
      }
      for (const p of paths.filter((p) => !PUBLIC_ROUTES.includes(p)))
        // `/graphql` is the JSON API's second door, behind the same auth (its page for browsers aside).
        assert.match(p, /^\/api\/|^\/graphql$/, `${p}: a new route outside /api needs a decision`);
    });

    test('no route answers without a valid token, in any spelling of its path', async () => {
      const routes = routesOf(api.app).filter((layer) => !PUBLIC_ROUTES.includes(String(layer.path)));
      assert.ok(routes.length >= 9);
      let tried = 0;
      for (const layer of routes) {
        const concrete = String(layer.path).replace(':id', seeded.background).replace(':name', 'report');
        for (const method of layer.methods) {
          for (const url of variants(concrete)) {
            for (const headers of [
              {},
              { Authorization: 'Bearer wrong-token-0123456789' },
              { Authorization: tokens.alice },
            ] as Array<Record<string, string>>) {
              const what = `${method} ${url} ${JSON.stringify(headers)}`;
              const init: RequestInit = {
                method,
                headers: { ...headers, accept: 'application/json, text/event-stream' },
                signal: AbortSignal.timeout(10_000),
              };
              if (method === 'POST') {
                init.body = JSON.stringify({ text: 'from nobody', a: 1, b: 1 });
                (init.headers as Record<string, string>)['content-type'] = 'application/json';
              }
              const res = await fetch(api.url + url, init);
              const text = res.status < 300 ? '' : await res.text();
              if (res.status < 300) await res.body?.cancel();
              tried++;
              assert.ok(res.status in REFUSALS, `${what}: ${res.status}`);
              if (method !== 'HEAD') {
                assert.equal(JSON.parse(text).error.type, REFUSALS[res.status], what);
                // A 404 names the path asked for; apart from that echo, nothing of any execution.
                const answer = text.split(url).join('');
                for (const secret of [
                  seeded.background,
                  seeded.sync,
                  INPUT_MARKER,
                  'STATIC-FILE',
                  '"status"',
                  'functionName',
                ]) {
                  assert.ok(!answer.includes(secret), `${what}: the answer holds ${secret}`);
                }
              }
            }
          }
        }
      }
      assert.ok(tried > 200, `tried ${tried} requests`);
    });

    test('nothing was created, cancelled or re-run by those requests', async () => {
      const all = await api.executions.list({ limit: 500 });
      assert.deepEqual(all.items.map((e) => e.id).sort(), [seeded.background, seeded.sync].sort());
      assert.equal((await api.executions.get(seeded.background)).status, 'created');
      assert.ok(all.items.every((e) => e.user === 'alice' && e.rerunOf == null));
    });

    test('public routes stay public, and the page of the static folder too', async () => {
      assert.equal((await api.request('/healthz')).status, 200);
      assert.equal((await api.request('/api/openapi.json')).status, 200);
      const page = await api.request('/');
      assert.equal(page.status, 200);
      assert.match(page.body, /<title>page<\/title>/);
    });
  });
}
