/**
 * Numbers in request bodies, over HTTP on SQLite and MariaDB: what is stored is what was sent, or
 * the request is 400 `ValidationError` naming each JSON pointer (an integer beyond ±(2^53 − 1) would
 * be rounded, `1e400` would become `null`, `1e-400` would become 0). Refused requests store nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { inputFunctions } from './support/input-functions.js';

for (const kind of DATABASE_KINDS) {
  describe(`numbers in request bodies on ${kind}`, () => {
    let api: ApiHarness;
    before(async () => {
      api = await startApi(kind, {}, inputFunctions());
    });
    after(() => api.close());

    const post = (text: string) =>
      api.request('/api/functions/echo/executions', {
        method: 'POST',
        body: text,
        headers: { 'content-type': 'application/json' },
      });
    const stored = async () => Number((await api.db.knex(EXECUTIONS_TABLE).count({ n: '*' }).first())?.n);

    test('numbers JavaScript holds as written are stored and returned as sent', async () => {
      const cases: Array<[string, unknown]> = [
        ['9007199254740991', Number.MAX_SAFE_INTEGER],
        ['-9007199254740991', -Number.MAX_SAFE_INTEGER],
        ['0', 0],
        ['-0', 0],
        ['0.0', 0],
        ['0e10', 0],
        ['1.5', 1.5],
        ['0.1', 0.1],
        ['-2.5e-3', -0.0025],
        ['1e308', 1e308],
        ['6.022e23', 6.022e23],
        ['5e-324', 5e-324],
        ['1E2', 100],
        ['12.000', 12],
      ];
      for (const [literal, expected] of cases) {
        const res = await post(`{"value": ${literal}}`);
        assert.equal(res.status, 201, `${literal}: ${JSON.stringify(res.body)}`);
        assert.deepEqual(res.body.output, { value: expected }, literal);
        assert.deepEqual((await api.executions.get(res.body.id)).input, { value: expected }, literal);
      }
    });

    test('an integer beyond ±(2^53 − 1), a number too large or too small is 400 ValidationError at its pointer; nothing is stored', async () => {
      const before = await stored();
      const cases: Array<[string, string, string]> = [
        ['9007199254740992', '/value', 'unsafe-integer'],
        ['9007199254740993', '/value', 'unsafe-integer'],
        ['-9007199254740993', '/value', 'unsafe-integer'],
        ['123456789012345678901234567890', '/value', 'unsafe-integer'],
        ['1e400', '/value', 'overflow'],
        ['-1.8e308', '/value', 'overflow'],
        ['1e-400', '/value', 'underflow'],
        ['[1, {"a~b/c": [2, 1e999]}]', '/value/1/a~0b~1c/1', 'overflow'],
      ];
      for (const [literal, path, reason] of cases) {
        const res = await post(`{"value": ${literal}}`);
        assert.equal(res.status, 400, literal);
        assert.equal(res.body.error.type, 'ValidationError', literal);
        const [issue, ...more] = res.body.error.details.errors;
        assert.equal(more.length, 0, literal);
        assert.equal(issue.path, path, literal);
        assert.equal(issue.keyword, 'json');
        assert.equal(issue.params.reason, reason, literal);
        assert.ok(res.body.error.message.includes(path), res.body.error.message);
      }
      assert.equal(await stored(), before);
    });

    test('every refused number is listed, in document order, and long literals are cut', async () => {
      const long = '9'.repeat(500);
      const res = await post(`{"value": {"a": 1e400, "b": [1, 2, 9007199254740993], "c": ${long}}}`);
      assert.equal(res.status, 400);
      assert.deepEqual(
        res.body.error.details.errors.map((e: { path: string }) => e.path),
        ['/value/a', '/value/b/2', '/value/c'],
      );
      assert.ok(res.body.error.details.errors[2].params.literal.length < 50);
    });

    test('a number is refused before schema validation, for any function, and as a property value anywhere', async () => {
      const res = await api.request('/api/functions/gated/executions', {
        method: 'POST',
        body: '{"n": 18446744073709551616}',
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(res.status, 400);
      assert.deepEqual(
        res.body.error.details.errors.map((e: { path: string }) => e.path),
        ['/n'],
      );
      const top = await post('[9007199254740993]');
      assert.equal(top.status, 400);
      assert.equal(top.body.error.details.errors[0].path, '/0');
    });
  });
}
