/**
 * `GET /api/openapi.json`: a valid OpenAPI 3.1 document (checked by a real validator) whose request
 * schemas are the functions' parameters and accept and reject what the API does.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { createOpenApiDocument } from '../../../server/http/openapi.js';
import { fixtureManifest } from './support/fixture-functions.js';
import { startApi, type ApiHarness } from './support/api-harness.js';

describe('the OpenAPI document', () => {
  let api: ApiHarness;
  before(async () => {
    api = await startApi('sqlite', { tokens: { alice: 'alice-token-0123456789' } });
  });
  after(() => api.close());

  test('is served at /api/openapi.json and passes the OpenAPI 3.1 schema validator', async () => {
    const res = await api.request('/api/openapi.json', { headers: { Authorization: 'Bearer alice-token-0123456789' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.openapi, '3.1.0');
    const validator = new Validator();
    const result = await validator.validate(res.body);
    assert.deepEqual(result.errors, undefined);
    assert.equal(result.valid, true);
    assert.deepEqual(res.body.security, [{ bearer: [] }]);
  });

  test('has one create operation per function, with its parameters as the body and its result as output', async () => {
    const doc = createOpenApiDocument(fixtureManifest) as any;
    for (const name of Object.keys(fixtureManifest.functions)) {
      assert.ok(doc.paths[`/api/functions/${name}/executions`]?.post, name);
    }
    assert.ok(doc.paths['/api/functions/report/executions'].post.responses['202']);
    assert.ok(doc.paths['/api/functions/add/executions'].post.responses['201']);
    const validator = new Validator();
    assert.equal((await validator.validate(doc)).valid, true);
    const resolved = validator.resolveRefs() as any;
    const input = resolved.paths['/api/functions/report/executions'].post.requestBody.content['application/json'].schema;
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(input);
    assert.equal(validate({ text: 'x', flowcell_type: 'sbs' }), true);
    assert.equal(validate({ text: 'x', flowcell_type: 'other' }), false, 'the hoisted enum definition is in force');
    assert.equal(validate({ tags: [] }), false, 'required text');
    const output = resolved.components.schemas['add.execution'];
    const validateExecution = ajv.compile(output);
    const execution = { id: 'x', functionName: 'add', mode: 'sync', status: 'done', input: {}, createdAt: new Date().toISOString() };
    assert.equal(validateExecution({ ...execution, output: 3 }), true);
    assert.equal(validateExecution({ ...execution, output: 'three' }), false);
  });
});
