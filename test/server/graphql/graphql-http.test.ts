/**
 * `/graphql` as an HTTP endpoint, on SQLite (nothing here depends on the database): off by default,
 * graphql-http's own GraphQL-over-HTTP audits, the JSON API's auth, CORS, body limit and
 * `Idempotency-Key` checks, GraphQL validation for wrong shapes, turtle's typed errors with the JSON
 * API's `details.errors[]`, depth and cost limits, no stack traces, and the GraphiQL page.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { getIntrospectionQuery } from 'graphql';
import { auditServer } from 'graphql-http';
import { startApi, type ApiHarness } from '../http/support/api-harness.js';
import { graphql } from './support/graphql-client.js';

/** The JSON API's error body. */
type ErrorBody = { error: { type: string; message: string; details: Record<string, unknown> } };
/** The JSON API's error of an answer. */
const errorOf = (answer: { body: unknown }) => (answer.body as ErrorBody).error;

const TOKEN = 'ada-token-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}` };

describe('/graphql over HTTP', () => {
  let api: ApiHarness;
  let graphiqlDir: string;
  before(async () => {
    // A stand-in for `npm run build`'s GraphiQL (the browser test loads the real one).
    graphiqlDir = fs.mkdtempSync(path.join(os.tmpdir(), 'turtle-graphiql-'));
    const index: Record<string, Record<string, { file: string; etag: string }>> = {};
    for (const name of ['graphiql.js', 'graphiql.css']) {
      index[name] = {};
      const text = `/* ${name} */`;
      for (const [encoding, suffix, bytes] of [
        ['identity', '', Buffer.from(text)],
        ['br', '.br', zlib.brotliCompressSync(text)],
        ['gzip', '.gz', zlib.gzipSync(text)],
      ] as const) {
        fs.writeFileSync(path.join(graphiqlDir, name + suffix), bytes);
        index[name][encoding] = { file: name + suffix, etag: `"${name}-${encoding}"` };
      }
    }
    fs.writeFileSync(path.join(graphiqlDir, 'graphiql.json'), JSON.stringify(index));
    api = await startApi('sqlite', {
      graphql: { maxDepth: 6, maxCost: 2000, graphiqlDir },
      tokens: { ada: TOKEN },
      corsOrigins: ['https://legacy.example'],
      bodyLimit: 16_384,
      authorize: (user, fn) => {
        if (fn === 'explode') throw new Error('the authorization service is down');
        return fn !== 'noop';
      },
    });
  });
  after(async () => {
    await api.close();
    fs.rmSync(graphiqlDir, { recursive: true, force: true });
  });

  test('is off unless asked for', async () => {
    const plain = await startApi('sqlite');
    try {
      const answer = await plain.request('/graphql', {
        method: 'POST',
        json: { query: '{ functions { name } }' },
      });
      assert.equal(answer.status, 404);
      assert.equal(errorOf(answer).type, 'RouteNotFound');
    } finally {
      await plain.close();
    }
  });

  test("passes graphql-http's GraphQL-over-HTTP audits with no failure or warning", async (t) => {
    const results = await auditServer({
      url: `${api.url}/graphql`,
      fetchFn: (input: RequestInfo | URL, init: RequestInit = {}) =>
        fetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init.headers)), ...AUTH } }),
    });
    const failed = results.filter((r) => r.status !== 'ok');
    for (const result of failed) t.diagnostic(`${result.status}: ${result.name}`);
    assert.ok(results.length > 50, `${results.length} audits ran`);
    assert.deepEqual(
      failed.map((r) => r.name),
      [],
    );
  });

  test('needs a token like /api (401 with WWW-Authenticate), and asks authorize before running', async () => {
    const anonymous = await graphql(api, '{ functions { name } }');
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error?.type, 'Unauthorized');
    assert.match(anonymous.headers.get('www-authenticate')!, /^Bearer/);
    const forbidden = await graphql(api, 'mutation { noop { id } }', undefined, AUTH);
    assert.equal(forbidden.status, 200);
    assert.deepEqual(forbidden.body.errors?.[0]?.extensions, {
      type: 'Forbidden',
      details: { function: 'noop', action: 'run' },
    });
    assert.equal(
      await api.db
        .knex('turtle_executions')
        .count({ n: '*' })
        .first()
        .then((r) => Number(r!.n)),
      0,
    );
  });

  test('answers CORS preflights and requests of allowed origins as /api does', async () => {
    const preflight = await api.request('/graphql', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://legacy.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://legacy.example');
    const answer = await graphql(api, '{ functions { name } }', undefined, {
      ...AUTH,
      origin: 'https://legacy.example',
    });
    assert.equal(answer.headers.get('access-control-allow-origin'), 'https://legacy.example');
    assert.ok(answer.headers.get('x-request-id'));
  });

  test('refuses wrong shapes by GraphQL validation, nothing run', async () => {
    const { status, body } = await graphql(
      api,
      'mutation { add(a: "one", b: 2, c: 3) { id } }',
      undefined,
      AUTH,
    );
    assert.equal(status, 400);
    assert.deepEqual(
      body.errors!.map((e) => e.message),
      [
        'Float cannot represent non numeric value: "one"',
        'Unknown argument "c" on field "Mutation.add". Did you mean "a" or "b"?',
      ],
    );
    const nested = await graphql(api, 'mutation { connect(server: { host: "h" }) { id } }', undefined, AUTH);
    assert.equal(nested.status, 400);
    assert.deepEqual(
      nested.body.errors!.map((e) => e.message),
      ['Field "ConnectServerInput.password" of required type "String!" was not provided.'],
    );
  });

  test("answers the service's ValidationError with the JSON API's details.errors", async () => {
    const text = 'x'.repeat(10_001);
    const json = await api.request('/api/functions/report/executions', {
      method: 'POST',
      json: { text },
      headers: AUTH,
    });
    assert.equal(json.status, 400);
    const { status, body } = await graphql(
      api,
      'mutation($text: String!) { report(text: $text) { id } }',
      { text },
      AUTH,
    );
    assert.equal(status, 200);
    assert.equal(body.data, null);
    const error = body.errors![0]!;
    assert.deepEqual(error.path, ['report']);
    assert.deepEqual(error.extensions, { type: 'ValidationError', details: errorOf(json).details });
    assert.equal(error.extensions?.details.errors?.[0]?.path, '/text');
    assert.equal(error.message, errorOf(json).message);
  });

  test('bounds the cost of a query with a typed error: a page of executions costs its selection times first', async () => {
    const small = await graphql(
      api,
      '{ executions(first: 10) { nodes { id status events { id } } } }',
      undefined,
      AUTH,
    );
    assert.equal(small.status, 200);
    assert.equal(small.body.errors, undefined);
    const costly = await graphql(
      api,
      '{ executions(first: 500) { nodes { id status events { id } } } }',
      undefined,
      AUTH,
    );
    assert.equal(costly.status, 400);
    assert.deepEqual(
      costly.body.errors!.map((e) => [
        e.extensions?.type,
        e.extensions?.details.measure,
        e.extensions?.details.limit,
      ]),
      [['QueryTooComplex', 'cost', 2000]],
    );
    assert.ok((costly.body.errors![0]!.extensions?.details.actual ?? 0) > 2000);
    // The same document again, its cost read from its variables each time.
    const page = 'query Page($n: Int) { executions(first: $n) { nodes { id events { id } } } }';
    assert.equal((await graphql(api, page, { n: 10 }, AUTH)).status, 200);
    const big = await graphql(api, page, { n: 500 }, AUTH);
    assert.equal(big.status, 400);
    assert.equal(big.body.errors![0]!.extensions?.type, 'QueryTooComplex');
    assert.equal((await graphql(api, page, { n: 10 }, AUTH)).status, 200);
    // GraphiQL's own introspection query is deep and wide: it reads the schema, not executions.
    const introspection = await graphql(api, getIntrospectionQuery(), undefined, AUTH);
    assert.equal(introspection.status, 200);
    assert.equal(introspection.body.errors, undefined);
  });

  test('rejects a query nested past the depth limit with QueryTooComplex', async () => {
    const limited = await startApi('sqlite', { graphql: { maxDepth: 3 }, tokens: { ada: TOKEN } });
    try {
      const { status, body } = await graphql(
        limited,
        '{ executions { edges { node { id } } } }',
        undefined,
        AUTH,
      );
      assert.equal(status, 400);
      assert.deepEqual(
        body.errors!.map((e) => e.extensions),
        [{ type: 'QueryTooComplex', details: { measure: 'depth', limit: 3, actual: 4 } }],
      );
      const ok = await graphql(limited, '{ executions { nodes { id } } }', undefined, AUTH);
      assert.equal(ok.status, 200);
      // Fragments count where they are spread.
      const spread = await graphql(
        limited,
        '{ executions { ...Page } } fragment Page on ExecutionConnection { edges { node { id } } }',
        undefined,
        AUTH,
      );
      assert.equal(spread.body.errors?.[0]?.extensions?.details.actual, 4);
    } finally {
      await limited.close();
    }
  });

  test('never sends a stack: an unexpected failure is an InternalError with the request id, logged', async () => {
    const { status, body, headers } = await graphql(api, 'mutation { explode { id } }', undefined, {
      ...AUTH,
      'x-request-id': 'graphql-req-1',
    });
    assert.equal(status, 200);
    assert.equal(headers.get('x-request-id'), 'graphql-req-1');
    assert.deepEqual(body.errors, [
      {
        message:
          'Something went wrong on the server; it has been logged. Quote the request id when reporting it.',
        locations: [{ line: 1, column: 12 }],
        path: ['explode'],
        extensions: { type: 'InternalError', details: { requestId: 'graphql-req-1' } },
      },
    ]);
    assert.doesNotMatch(JSON.stringify(body), /authorization service|at .*\.ts/);
    assert.ok(api.logs.some((line) => line.msg === 'unexpected error' && line.requestId === 'graphql-req-1'));
  });

  test('applies the body limit, JSON checks and Idempotency-Key rules of /api', async () => {
    const big = await graphql(api, `{ functions { name } } # ${'x'.repeat(20_000)}`, undefined, AUTH);
    assert.equal(big.status, 413);
    assert.equal(big.body.error?.type, 'PayloadTooLarge');
    const broken = await api.request('/graphql', {
      method: 'POST',
      body: '{"query": ',
      headers: { ...AUTH, 'content-type': 'application/json' },
    });
    assert.equal(broken.status, 400);
    assert.equal(errorOf(broken).type, 'InvalidJson');
    const badKey = await graphql(api, 'mutation { add(a: 1, b: 1) { id } }', undefined, {
      ...AUTH,
      'Idempotency-Key': 'has space',
    });
    assert.equal(badKey.status, 400);
    assert.equal(badKey.body.error?.type, 'InvalidRequest');
  });

  test('answers queries over GET, refuses mutations over GET', async () => {
    const get = (query: string) =>
      api.request(`/graphql?query=${encodeURIComponent(query)}`, {
        headers: { ...AUTH, accept: 'application/graphql-response+json' },
      });
    const query = await get('{ functions { name mutation } }');
    assert.equal(query.status, 200);
    assert.match(query.headers.get('vary') ?? '', /(^|,\s*)Accept\s*(,|$)/);
    const { data } = query.body as { data: { functions: Array<{ name: string }> } };
    assert.ok(data.functions.some((f) => f.name === 'add'));
    const mutation = await get('mutation { add(a: 1, b: 1) { id } }');
    assert.equal(mutation.status, 405);
  });

  test('serves GraphiQL to browsers without a token, under a CSP that allows only this origin', async () => {
    const page = await api.request('/graphql', {
      headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    const html = page.body as string;
    assert.match(html, /<script type="module" src="\/turtle\/graphiql\.js"><\/script>/);
    assert.match(html, /href="\/turtle\/graphiql\.css"/);
    assert.doesNotMatch(html, /https?:\/\//);
    const csp = page.headers.get('content-security-policy')!;
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /connect-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-eval|https?:/);
    const script = await api.request('/turtle/graphiql.js', { headers: { 'accept-encoding': 'br' } });
    assert.equal(script.status, 200);
    assert.equal(script.headers.get('etag'), '"graphiql.js-br"');
    assert.equal(script.body, '/* graphiql.js */');
    const css = await api.request('/turtle/graphiql.css', { headers: { 'accept-encoding': 'identity' } });
    assert.equal(css.body, '/* graphiql.css */');
    assert.match(css.headers.get('content-type')!, /^text\/css/);
    const notBuilt = await startApi('sqlite', {
      graphql: { graphiqlDir: path.join(graphiqlDir, 'missing') },
    });
    try {
      const missing = await notBuilt.request('/graphql', { headers: { accept: 'text/html' } });
      assert.equal(missing.status, 404);
      assert.equal(errorOf(missing).type, 'GraphiQLNotBuilt');
    } finally {
      await notBuilt.close();
    }
  });
});
