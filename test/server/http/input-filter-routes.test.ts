/**
 * `GET /api/executions?function=&input.<name>=`: exact matches on `@filterable` parameters, read from
 * the query string as the parameter's schema says; bad names and values are 400 `ValidationError`s
 * naming `/input/<name>`. Parsing only, so on SQLite (the store's filtering runs on every database in
 * test/server/executions/input-filter.test.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Registry } from '../../../server/registry/registry.js';
import { manifestOf } from '../../support/manifests.js';
import { startApi, type ApiHarness } from './support/api-harness.js';

const manifest = manifestOf({
  resend: {
    mode: 'sync',
    properties: {
      site: { type: 'string', enum: ['basel', 'bern'], 'x-turtle-filterable': true },
      reportId: { type: 'integer', 'x-turtle-filterable': true },
      urgent: { type: 'boolean', 'x-turtle-filterable': true },
      body: { type: 'string' },
    },
    required: ['site', 'reportId', 'urgent'],
  },
});

describe('filtering GET /api/executions by input', () => {
  let api: ApiHarness;
  const ids: string[] = [];
  before(async () => {
    const registry = new Registry();
    registry.addSync(function resend() {
      return null;
    });
    api = await startApi('sqlite', {}, { registry, manifest });
    for (const input of [
      { site: 'basel', reportId: 7, urgent: true },
      { site: 'bern', reportId: 7, urgent: false },
      { site: 'bern', reportId: 8, urgent: true, body: 'x' },
    ]) {
      const res = await api.request('/api/functions/resend/executions', { method: 'POST', json: input });
      assert.equal(res.status, 201);
      ids.push(res.body.id);
    }
  });
  after(() => api.close());

  const list = (query: string) => api.request(`/api/executions?function=resend&${query}`);
  const found = async (query: string) => {
    const res = await list(query);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.items.map((e: { id: string }) => e.id);
  };

  test('finds runs by enum value, integer and boolean text, several inputs ANDed', async () => {
    assert.deepEqual(await found('input.site=bern'), [ids[2], ids[1]]);
    assert.deepEqual(await found('input.reportId=7&input.site=bern'), [ids[1]]);
    assert.deepEqual(await found('input.urgent=true'), [ids[2], ids[0]]);
    assert.deepEqual(await found('input.urgent=false&input.reportId=8'), []);
    assert.deepEqual(await found('input.site='), [ids[2], ids[1], ids[0]], 'an empty value filters nothing');
  });

  test('answers 400 ValidationError naming the input that is unknown, not filterable or ill-typed', async () => {
    for (const [query, path] of [
      ['input.nope=1', '/input/nope'],
      ['input.body=x', '/input/body'],
      ['input.__proto__=x', '/input/__proto__'],
      ['input.reportId=seven', '/input/reportId'],
      ['input.reportId=7.5', '/input/reportId'],
      ['input.urgent=1', '/input/urgent'],
      ['input.site=zurich', '/input/site'],
    ]) {
      const res = await list(query!);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.error.type, 'ValidationError', query);
      assert.deepEqual(
        res.body.error.details.errors.map((e: { path: string }) => e.path),
        [path],
        query,
      );
    }
    const noFunction = await api.request('/api/executions?input.site=bern');
    assert.equal(noFunction.status, 400);
    assert.equal(noFunction.body.error.details.errors[0].path, '/function');
    const twice = await list('input.site=bern&input.site=basel');
    assert.equal(twice.status, 400);
    assert.equal(twice.body.error.type, 'InvalidRequest');
  });

  test('lists each filterable input as a typed query parameter in the OpenAPI document', async () => {
    const res = await api.request('/api/openapi.json');
    const parameters = res.body.paths['/api/executions'].get.parameters as Array<{
      name: string;
      schema: unknown;
    }>;
    const inputs = parameters.filter((p) => p.name.startsWith('input.'));
    assert.deepEqual(
      inputs.map((p) => [p.name, p.schema]),
      [
        ['input.reportId', { type: 'integer' }],
        ['input.site', { enum: ['basel', 'bern'] }],
        ['input.urgent', { type: 'boolean' }],
      ],
    );
  });
});
