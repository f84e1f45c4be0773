/**
 * `GET /api/executions` answers summaries — no inputs, outputs, state or tracebacks, not even read
 * from the database — unless `?fields=full`, so a page costs the same whatever the functions take and
 * return. On SQLite and MariaDB, through the real app.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { startApi, type ApiHarness } from './support/api-harness.js';

const SUMMARY_KEYS = [
  'attempts',
  'createdAt',
  'error',
  'finishedAt',
  'functionName',
  'functionVersion',
  'id',
  'mode',
  'nextRunAt',
  'progress',
  'rerunOf',
  'scheduleId',
  'startedAt',
  'status',
  'updatedAt',
  'user',
];
const BIG_COLUMNS = /input_json|output_json|state_json|traceback|\*/;

for (const kind of DATABASE_KINDS) {
  describe(`history summaries on ${kind}`, () => {
    let api: ApiHarness;
    const bigText = 'x'.repeat(9000);
    before(async () => {
      api = await startApi(kind);
      for (let i = 0; i < 20; i++)
        await api.request('/api/functions/report/executions', { method: 'POST', json: { text: bigText } });
      await api.request('/api/functions/explode/executions', { method: 'POST', json: {} });
    });
    after(() => api.close());

    test('a page holds summaries only, and its query does not read the big columns', async () => {
      const queries: string[] = [];
      const listen = (query: { sql: string }) => queries.push(query.sql);
      api.db.knex.on('query', listen);
      let res;
      try {
        res = await api.request('/api/executions?limit=50');
      } finally {
        api.db.knex.off('query', listen);
      }
      assert.equal(res.status, 200);
      assert.equal(res.body.items.length, 21);
      for (const item of res.body.items) assert.deepEqual(Object.keys(item).sort(), SUMMARY_KEYS);
      assert.equal(res.body.items[0].error.message, 'boom', 'a summary still says why it failed');
      assert.ok(JSON.stringify(res.body).length < bigText.length, 'twenty 9 kB inputs are not in the page');
      const list = queries.filter((sql) => /from/i.test(sql) && sql.includes('turtle_executions'));
      assert.equal(list.length, 1, queries.join('\n'));
      assert.doesNotMatch(list[0]!, BIG_COLUMNS);
    });

    test('?fields=full answers whole executions; ?fields=summary is the default', async () => {
      const full = await api.request('/api/executions?limit=2&fields=full&function=report');
      assert.equal(full.body.items.length, 2);
      assert.equal(full.body.items[0].input.text, bigText);
      assert.deepEqual(full.body.items[0].redactedInputs, []);
      for (const key of ['output', 'state', 'traceback']) assert.ok(key in full.body.items[0], key);
      const next = await api.request(
        `/api/executions?limit=2&fields=full&function=report&cursor=${encodeURIComponent(full.body.next)}`,
      );
      assert.equal(next.body.items[0].input.text, bigText, 'the cursor pages whole executions too');
      const summary = await api.request('/api/executions?limit=2&fields=summary&function=report');
      assert.deepEqual(Object.keys(summary.body.items[0]).sort(), SUMMARY_KEYS);
    });

    test('an unknown or repeated fields value is 400 InvalidRequest naming the parameter', async () => {
      for (const query of ['fields=all', 'fields=input', 'fields=full&fields=summary']) {
        const res = await api.request(`/api/executions?${query}`);
        assert.equal(res.status, 400, query);
        assert.equal(res.body.error.type, 'InvalidRequest', query);
        assert.equal(res.body.error.details.parameter, 'fields', query);
      }
    });

    test('the OpenAPI document describes the summary, whole items and the fields parameter, as answered', async () => {
      const validator = new Validator();
      assert.equal((await validator.validate((await api.request('/api/openapi.json')).body)).valid, true);
      const doc = validator.resolveRefs() as any;
      const list = doc.paths['/api/executions'].get;
      assert.deepEqual(list.parameters.find((p: { name: string }) => p.name === 'fields').schema.enum, [
        'summary',
        'full',
      ]);
      const summary = doc.components.schemas.ExecutionSummary;
      assert.deepEqual(Object.keys(summary.properties).sort(), SUMMARY_KEYS);
      const ajv = new Ajv2020({ strict: false });
      const validateSummary = ajv.compile(summary);
      const validateExecution = ajv.compile(doc.components.schemas.Execution);
      for (const item of (await api.request('/api/executions')).body.items)
        assert.ok(validateSummary(item), JSON.stringify(validateSummary.errors));
      for (const item of (await api.request('/api/executions?fields=full')).body.items)
        assert.ok(validateExecution(item), JSON.stringify(validateExecution.errors));
      assert.ok(doc.components.schemas.Execution.properties.redactedInputs);
    });

    test('the service lists summaries by default and whole executions when asked', async () => {
      const page = await api.executions.list({ functionName: 'report', limit: 1 });
      assert.equal('input' in page.items[0]!, false);
      const full = await api.executions.list({ functionName: 'report', limit: 1, fields: 'full' });
      assert.equal(full.items[0]!.input.text, bigText);
    });
  });
}
