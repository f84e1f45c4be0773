/**
 * Inputs are the function's parameters and nothing else: a misspelled or unknown name, at the top or
 * inside an object parameter, is a 400 `ValidationError` naming it, and nothing is stored or run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { startApi, type ApiHarness } from './support/api-harness.js';

for (const kind of DATABASE_KINDS) {
  describe(`strict inputs on ${kind}`, () => {
    let api: ApiHarness;
    const stored = async () => Number((await api.db.knex(EXECUTIONS_TABLE).count({ n: '*' }).first())!.n);

    before(async () => {
      api = await startApi(kind);
    });
    after(() => api.close());

    test('a misspelled parameter is refused, naming it, instead of running with the default', async () => {
      const before = await stored();
      const res = await api.request('/api/functions/report/executions', {
        method: 'POST',
        json: { text: 'R1', flowcel_type: 'sbs' },
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.type, 'ValidationError');
      assert.deepEqual(
        res.body.error.details.errors.map((e: { path: string; keyword: string }) => [e.path, e.keyword]),
        [['/flowcel_type', 'additionalProperties']],
      );
      assert.equal(await stored(), before, 'nothing stored');
    });

    test('an unknown field inside an object parameter is refused at its path; the right one runs', async () => {
      const wrong = await api.request('/api/functions/add/executions', {
        method: 'POST',
        json: { a: 1, b: 2, c: 3 },
      });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.error.details.errors[0].path, '/c');
      const nested = await api.request('/api/functions/connect/executions', {
        method: 'POST',
        json: { server: { host: 'h', password: 'p', prot: 22 } },
      });
      assert.equal(nested.status, 400);
      assert.deepEqual(
        nested.body.error.details.errors.map((e: { path: string }) => e.path),
        ['/server/prot'],
      );
      const right = await api.request('/api/functions/add/executions', {
        method: 'POST',
        json: { a: 1, b: 2 },
      });
      assert.equal(right.status, 201);
      assert.equal(right.body.output, 3);
    });
  });
}
