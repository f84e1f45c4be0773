/**
 * Bad requests get typed JSON errors with the right status; a 500 leaks nothing and is logged with
 * the request id; every response carries the request id and the security headers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HTTP_ONLY_KINDS } from '../../support/databases.js';
import { startApi, type ApiHarness } from './support/api-harness.js';

for (const kind of HTTP_ONLY_KINDS) {
  describe(`errors on ${kind}`, () => {
    let api: ApiHarness;
    before(async () => {
      api = await startApi(kind, {
        bodyLimit: 1024,
        // Fails for one path only: the way to reach an unexpected error from outside.
        authenticate: (ctx) => {
          if (ctx.path === '/api/functions/explode')
            throw new Error('secret database password in this message');
          return 'someone';
        },
      });
    });
    after(() => api.close());

    const post = (body: string, contentType = 'application/json') =>
      api.request('/api/functions/add/executions', {
        method: 'POST',
        body,
        headers: { 'content-type': contentType },
      });

    test('malformed JSON is 400 InvalidJson', async () => {
      for (const body of ['{"a": 1,', '{a: 1}', "{'a': 1}", '{"a": 1}}', 'null', '"text"', '12']) {
        const res = await post(body);
        assert.equal(res.status, 400, body);
        assert.equal(res.body.error.type, 'InvalidJson', body);
        assert.equal(typeof res.body.error.message, 'string');
      }
    });

    test('a __proto__ key is refused as InvalidJson', async () => {
      const res = await post('{"a": 1, "b": 2, "__proto__": {"polluted": true}}');
      assert.equal(res.status, 400);
      assert.equal(res.body.error.type, 'InvalidJson');
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });

    test('another content type is 415 UnsupportedMediaType', async () => {
      for (const type of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
      ]) {
        const res = await post('a=1&b=2', type);
        assert.equal(res.status, 415, type);
        assert.equal(res.body.error.type, 'UnsupportedMediaType');
      }
      const none = await api.request('/api/functions/add/executions', {
        method: 'POST',
        body: new Blob(['{"a":1,"b":2}']),
      });
      assert.equal(none.status, 415);
    });

    test('a body over the limit is 413 PayloadTooLarge with the limit', async () => {
      const res = await post(JSON.stringify({ a: 1, b: 2, pad: 'x'.repeat(2000) }));
      assert.equal(res.status, 413);
      assert.equal(res.body.error.type, 'PayloadTooLarge');
      assert.equal(res.body.error.details.limit, 1024);
    });

    test('a deeply nested body is 400 BodyTooDeep', async () => {
      const res = await post(`${'['.repeat(200)}${']'.repeat(200)}`);
      assert.equal(res.status, 400);
      assert.equal(res.body.error.type, 'BodyTooDeep');
    });

    test('an unknown route is 404 RouteNotFound', async () => {
      const res = await api.request('/api/nothing-here');
      assert.equal(res.status, 404);
      assert.equal(res.body.error.type, 'RouteNotFound');
    });

    test('an unexpected error is 500 InternalError: generic message, request id, logged with the stack', async () => {
      const res = await api.request('/api/functions/explode', { headers: { 'X-Request-Id': 'trace-500' } });
      assert.equal(res.status, 500);
      assert.equal(res.body.error.type, 'InternalError');
      assert.deepEqual(res.body.error.details, { requestId: 'trace-500' });
      assert.doesNotMatch(JSON.stringify(res.body), /secret|password|at .*\.ts/);
      assert.equal(res.headers.get('x-request-id'), 'trace-500');
      const logged = api.logs.find((l) => l.requestId === 'trace-500' && l.level === 50);
      assert.ok(logged, 'the error is logged with the request id');
      assert.match(JSON.stringify(logged), /secret database password/);
    });

    test('X-Request-Id: a sensible one is echoed, otherwise a UUID is made; the request is logged with it', async () => {
      const echoed = await api.request('/api/functions', { headers: { 'X-Request-Id': 'abc-123' } });
      assert.equal(echoed.headers.get('x-request-id'), 'abc-123');
      const replaced = await api.request('/api/functions', {
        headers: { 'X-Request-Id': 'bad id with spaces' },
      });
      assert.match(replaced.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
      assert.ok(
        api.logs.some((l) => l.requestId === 'abc-123' && l.status === 200 && l.path === '/api/functions'),
      );
    });

    test('security headers are on every response, errors included', async () => {
      for (const res of [
        await api.request('/api/functions'),
        await api.request('/api/nope'),
        await api.request('/healthz'),
      ]) {
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(res.headers.get('x-frame-options'), 'DENY');
        assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
        assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
        assert.equal(res.headers.get('x-powered-by'), null);
      }
    });

    test('GET /healthz is 200 when the database answers', async () => {
      const res = await api.request('/healthz');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { status: 'ok' });
    });
  });
}
