/**
 * Tracebacks in answers carry no absolute server paths (relative to the working directory, where the
 * server runs), and `exposeTracebacks: false` (`TURTLE_EXPOSE_TRACEBACKS=0`) hides them; the stored
 * traceback is complete either way. On SQLite and MariaDB, through the real app.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { relativeTraceback } from '../../../server/presentation/traceback-paths.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { startApi, type ApiHarness } from './support/api-harness.js';

const root = process.cwd();

for (const kind of DATABASE_KINDS) {
  describe(`tracebacks in answers on ${kind}`, () => {
    let shown: ApiHarness;
    let hidden: ApiHarness;
    before(async () => {
      shown = await startApi(kind);
      hidden = await startApi(kind, { exposeTracebacks: false });
    });
    after(async () => {
      await shown.close();
      await hidden.close();
    });

    test('are answered with paths relative to the working directory, and stored in full', async () => {
      const res = await shown.request('/api/functions/explode/executions', { method: 'POST', json: {} });
      assert.equal(res.body.status, 'errored');
      const answered = [
        res.body.traceback,
        (await shown.request(`/api/executions/${res.body.id}`)).body.traceback,
        (await shown.request('/api/executions?fields=full&function=explode')).body.items[0].traceback,
      ];
      for (const traceback of answered) {
        assert.match(traceback, /^Error: boom/);
        assert.match(traceback, /\(test\/server\/http\/support\/fixture-functions\.ts:\d+:\d+\)/);
        assert.ok(!traceback.includes(root), traceback);
        assert.doesNotMatch(traceback, /file:\/\/|\(\//, 'no absolute path or file URL is left');
      }
      const stored = (await shown.executions.get(res.body.id)).traceback!;
      assert.ok(stored.includes(root), 'the stored traceback keeps its absolute paths');
    });

    test('are hidden from every answer with exposeTracebacks: false, and still stored', async () => {
      const res = await hidden.request('/api/functions/explode/executions', { method: 'POST', json: {} });
      assert.equal(res.body.status, 'errored');
      assert.equal(res.body.error.message, 'boom', 'the error itself is still answered');
      assert.equal(res.body.traceback, null);
      assert.equal((await hidden.request(`/api/executions/${res.body.id}`)).body.traceback, null);
      assert.equal(
        (await hidden.request('/api/executions?fields=full&function=explode')).body.items[0].traceback,
        null,
      );
      assert.match((await hidden.executions.get(res.body.id)).traceback!, /Error: boom/);
    });
  });
}

describe('relativeTraceback', () => {
  test('keeps paths under the root relative, a dependency from node_modules on, anything else as its file name', () => {
    const traceback = [
      "Error: ENOENT: no such file or directory, open '/etc/app/secret.json'",
      '    at load (/srv/app/functions/load.ts:3:9)',
      '    at /srv/app/index.js:1:2',
      '    at async run (file:///srv/app/with%20space/run.mjs:4:5)',
      '    at query (/opt/shared/node_modules/knex/lib/runner.js:10:1)',
      '    at node:internal/process/task_queues:95:5',
      '    at other (/home/ops/elsewhere.js:7:7)',
      '    at relative (lib/thing.js:1:1)',
    ].join('\n');
    assert.equal(
      relativeTraceback(traceback, '/srv/app'),
      [
        "Error: ENOENT: no such file or directory, open '…/secret.json'",
        '    at load (functions/load.ts:3:9)',
        '    at index.js:1:2',
        '    at async run (with space/run.mjs:4:5)',
        '    at query (node_modules/knex/lib/runner.js:10:1)',
        '    at node:internal/process/task_queues:95:5',
        '    at other (…/elsewhere.js:7:7)',
        '    at relative (lib/thing.js:1:1)',
      ].join('\n'),
    );
  });
});
