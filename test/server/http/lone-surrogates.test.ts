/**
 * Lone surrogates (`"\ud800"`: half of a UTF-16 pair, not Unicode text) get the same answer on
 * SQLite and MariaDB, whose `json_valid` refuses them: in an input (value or property name) a 400
 * `ValidationError` naming the pointer, nothing stored; in an output or checkpoint the execution
 * errors with `OutputNotSerializable`; in a progress or error message they are shown as U+FFFD.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { inputFunctions } from './support/input-functions.js';

for (const kind of DATABASE_KINDS) {
  describe(`lone surrogates on ${kind}`, () => {
    let api: ApiHarness;
    before(async () => {
      api = await startApi(kind, {}, inputFunctions());
    });
    after(() => api.close());

    const post = (fn: string, text: string) =>
      api.request(`/api/functions/${fn}/executions`, {
        method: 'POST',
        body: text,
        headers: { 'content-type': 'application/json' },
      });
    const stored = async () => Number((await api.db.knex(EXECUTIONS_TABLE).count({ n: '*' }).first())?.n);

    test('in an input value or property name: 400 ValidationError at its pointer; nothing is stored', async () => {
      const before = await stored();
      const cases: Array<[string, string]> = [
        ['{"value": "\\ud800"}', '/value'],
        ['{"value": "a\\udfffb"}', '/value'],
        ['{"value": ["ok", "\\ude00\\ud83d"]}', '/value/1'],
        ['{"value": {"\\ud800": 1}}', '/value/\ufffd'],
        ['{"value": {"x": {"k\\udbff": "v"}}}', '/value/x/k\ufffd'],
      ];
      for (const [text, path] of cases) {
        const res = await post('echo', text);
        assert.equal(res.status, 400, text);
        assert.equal(res.body.error.type, 'ValidationError', text);
        assert.deepEqual(
          res.body.error.details.errors.map(
            (e: { path: string; keyword: string; params: { reason: string } }) => [
              e.path,
              e.keyword,
              e.params.reason,
            ],
          ),
          [[path, 'json', 'lone-surrogate']],
          text,
        );
      }
      // A property name that is not a function parameter is still refused for its surrogate, not only as unknown.
      const key = await post('lone', '{"where": "fine", "\\ud800": true}');
      assert.equal(key.status, 400);
      assert.equal(key.body.error.details.errors[0].path, '/\ufffd');
      assert.equal(await stored(), before);
    });

    test('through the service itself (no HTTP) too: ValidationError, nothing stored; so is a NaN or Infinity', async () => {
      const before = await stored();
      for (const [input, path] of [
        [{ value: 'x\ud800' }, '/value'],
        [{ value: { ['\udbff']: 1 } }, '/value/\ufffd'],
        [{ value: [Infinity] }, '/value/0'],
      ] as const) {
        for (const run of [
          () => api.executions.runSync('echo', input),
          () => api.executions.create('echo', input),
        ]) {
          await assert.rejects(
            run(),
            (err: Error & { type?: string; details?: { errors: Array<{ path: string }> } }) => {
              assert.equal(err.type, 'ValidationError');
              assert.equal(err.details!.errors[0]!.path, path);
              return true;
            },
          );
        }
      }
      assert.equal(await stored(), before);
    });

    test('surrogate pairs, escaped or not, are text and are stored as sent', async () => {
      for (const text of ['{"value": "\\ud83d\\ude00 ok"}', '{"value": "😀 ok"}']) {
        const res = await post('echo', text);
        assert.equal(res.status, 201, text);
        assert.deepEqual(res.body.output, { value: '😀 ok' });
        assert.deepEqual((await api.executions.get(res.body.id)).input, { value: '😀 ok' });
      }
      const fine = await post('lone', '{"where": "fine"}');
      assert.equal(fine.body.status, 'done');
      assert.equal(fine.body.output, '😀');
    });

    test('in an output or a property name of it: the execution errors with OutputNotSerializable and its path', async () => {
      for (const [where, path] of [
        ['output', '/text'],
        ['key', '/a\ufffdb'],
      ] as const) {
        const res = await post('lone', JSON.stringify({ where }));
        assert.equal(res.status, 201, where);
        assert.equal(res.body.status, 'errored', where);
        assert.equal(res.body.error.type, 'OutputNotSerializable', where);
        assert.equal(res.body.error.details.path, path, where);
        assert.match(res.body.error.details.reason, /lone surrogate/);
        const again = await api.executions.get(res.body.id);
        assert.equal(again.status, 'errored');
        assert.deepEqual(again.error, res.body.error);
        assert.equal(again.output, null);
      }
    });

    test('in a checkpoint: the function fails with OutputNotSerializable, stored on every database', async () => {
      const res = await post('lone', '{"where": "state"}');
      assert.equal(res.body.status, 'errored');
      assert.equal(res.body.error.type, 'OutputNotSerializable');
      assert.equal(res.body.error.details.path, '/text');
      assert.equal((await api.executions.get(res.body.id)).error?.type, 'OutputNotSerializable');
    });

    test('in a progress or error message: stored and shown with U+FFFD', async () => {
      const progress = await post('lone', '{"where": "progress"}');
      assert.equal(progress.body.status, 'done');
      assert.equal((await api.executions.get(progress.body.id)).progress?.message, 'a\ufffdb');
      const failed = await post('lone', '{"where": "error"}');
      assert.equal(failed.body.status, 'errored');
      assert.equal(failed.body.error.message, 'bad a\ufffdb');
      assert.deepEqual(failed.body.error.details, { text: 'a\ufffdb' });
      assert.deepEqual((await api.executions.get(failed.body.id)).error, failed.body.error);
      assert.equal(api.logs.filter((l) => (l.level as number) >= 50).length, 0, 'no driver error was logged');
    });
  });
}
