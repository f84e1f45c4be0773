/**
 * `POST /api/executions/:id/rerun` with `{ "resume": true }`: the body is checked (closed, a boolean),
 * and a run that cannot be resumed is `409 NotResumable` naming why. Parsing only: SQLite.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRegistry } from '../../../server/registry/registry.js';
import { currentExecution } from '../../../server/executions/index.js';
import { manifestOf } from '../../support/manifests.js';
import { startApi, type ApiHarness } from './support/api-harness.js';

/** The parts of an answer these tests read. */
interface Answer {
  id: string;
  status: string;
  output: unknown;
  rerunOf: string | null;
  error: { type: string; details: { reason?: string; errors: { path: string; keyword: string }[] } };
}

describe('rerun with resume on sqlite', () => {
  let api: ApiHarness;
  const ids = { errored: '', early: '', done: '' };

  before(async () => {
    const registry = createRegistry();
    registry.addSync(function steps(failAt: number) {
      const current = currentExecution<{ done: number }>();
      const start = current.state?.done ?? 0;
      if (start === 0 && failAt < 9) {
        if (failAt > 0) current.checkpoint({ done: failAt });
        throw new Error('step failed');
      }
      return { start };
    });
    const manifest = manifestOf({
      steps: { mode: 'sync', properties: { failAt: { type: 'integer' } }, required: ['failAt'] },
    });
    api = await startApi('sqlite', {}, { registry, manifest });
    const run = async (failAt: number) =>
      (
        (await api.request('/api/functions/steps/executions', { method: 'POST', json: { failAt } }))
          .body as Answer
      ).id;
    ids.errored = await run(2);
    ids.early = await run(0);
    ids.done = await run(9);
  });
  after(() => api.close());

  const rerun = async (id: string, json?: unknown) => {
    const res = await api.request(`/api/executions/${id}/rerun`, {
      method: 'POST',
      ...(json !== undefined && { json }),
    });
    return { status: res.status, body: res.body as Answer };
  };

  test('resume: true starts the rerun from the checkpoint; no body (or {}) is a plain rerun', async () => {
    const resumed = await rerun(ids.errored, { resume: true });
    assert.equal(resumed.status, 202);
    assert.deepEqual(
      [resumed.body.status, resumed.body.output, resumed.body.rerunOf],
      ['done', { start: 2 }, ids.errored],
    );
    for (const body of [undefined, {}, { resume: false }]) {
      const plain = await rerun(ids.errored, body);
      assert.equal(plain.status, 202);
      assert.equal(plain.body.status, 'errored', 'from scratch it fails again');
    }
  });

  test('a run that did not error, or has no checkpoint, is 409 NotResumable naming why', async () => {
    const done = await rerun(ids.done, { resume: true });
    assert.equal(done.status, 409);
    assert.equal(done.body.error.type, 'NotResumable');
    assert.deepEqual(done.body.error.details, { id: ids.done, reason: 'not-errored', status: 'done' });
    const early = await rerun(ids.early, { resume: true });
    assert.equal(early.status, 409);
    assert.equal(early.body.error.details.reason, 'no-checkpoint');
    assert.equal((await rerun('missing', { resume: true })).status, 404);
  });

  test('a bad body is 400 ValidationError naming each problem', async () => {
    const problems = async (json: unknown) => {
      const res = await rerun(ids.errored, json);
      assert.equal(res.status, 400);
      assert.equal(res.body.error.type, 'ValidationError');
      return res.body.error.details.errors.map((e) => [e.path, e.keyword]);
    };
    assert.deepEqual(await problems({ resume: 'yes' }), [['/resume', 'type']]);
    assert.deepEqual(await problems({ resum: true }), [['/resum', 'additionalProperties']]);
    assert.deepEqual(await problems([true]), [['', 'type']]);
  });
});
