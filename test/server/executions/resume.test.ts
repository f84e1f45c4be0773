/**
 * `rerun(id, { resume: true })`: an errored run's rerun starts from its last checkpoint (background
 * and sync functions), and is refused with `NotResumable` — storing nothing — when the original did
 * not error or errored before any checkpoint. On every database.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRegistry } from '../../../server/registry/registry.js';
import { ExecutionNotFound, NotResumable } from '../../../server/errors.js';
import { currentExecution, type Executions } from '../../../server/executions/index.js';
import { EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { executionsFor, type FunctionSpec } from '../../support/manifests.js';

/** Counts to 4 from its checkpoint; a run that starts from scratch fails once it has done `failAt` steps. */
function countFrom(failAt: number): { start: number; done: number } {
  const current = currentExecution<{ done: number }>();
  const start = current.state?.done ?? 0;
  for (let done = start; done < 4; done++) {
    if (start === 0 && done === failAt) throw new Error(`failed after ${done} steps`);
    current.checkpoint({ done: done + 1 });
  }
  return { start, done: 4 };
}

for (const kind of DATABASE_KINDS) {
  describe(`resuming a rerun on ${kind}`, () => {
    let db: TestDatabase;
    let executions: Executions;
    const registry = createRegistry();
    registry.add(function counter(failAt: number) {
      return countFrom(failAt);
    });
    registry.addSync(function counterNow(failAt: number) {
      return countFrom(failAt);
    });
    const stored = async () => Number((await db.knex(EXECUTIONS_TABLE).count({ n: '*' }).first())!.n);

    before(async () => {
      db = await createTestDatabase(kind, 'resume');
      const failAt: FunctionSpec = { properties: { failAt: { type: 'integer' } }, required: ['failAt'] };
      executions = await executionsFor(db, registry, { counter: failAt, counterNow: failAt });
    });
    after(() => db.destroy());

    it('resumes a background run from its last checkpoint; a plain rerun starts over', async () => {
      const original = await executions.create('counter', { failAt: 2 }, { user: 'ana' });
      const ended = (await executions.advance(original.id, { workerId: 'w1' })).execution;
      assert.equal(ended.status, 'errored');
      assert.deepEqual((await executions.get(original.id)).state, { done: 2 });

      const resumed = await executions.rerun(original.id, { resume: true });
      assert.deepEqual([resumed.status, resumed.rerunOf, resumed.user], ['created', original.id, 'ana']);
      assert.deepEqual(resumed.state, { done: 2 });
      const created = (await executions.get(resumed.id)).events[0]!;
      assert.deepEqual([created.to, created.data], ['created', { resumedFrom: original.id }]);
      const done = (await executions.advance(resumed.id, { workerId: 'w1' })).execution;
      assert.deepEqual([done.status, done.output], ['done', { start: 2, done: 4 }]);

      const plain = await executions.rerun(original.id);
      assert.equal(plain.state, null);
      assert.equal((await executions.get(plain.id)).events[0]!.data, undefined);
      const again = (await executions.advance(plain.id, { workerId: 'w1' })).execution;
      assert.equal(again.status, 'errored', 'from scratch it fails again');
    });

    it('resumes a sync run in the call', async () => {
      const original = await executions.runSync('counterNow', { failAt: 3 });
      assert.equal(original.status, 'errored');
      const resumed = await executions.rerun(original.id, { resume: true });
      assert.deepEqual([resumed.status, resumed.output], ['done', { start: 3, done: 4 }]);
      assert.equal(resumed.rerunOf, original.id);
    });

    it('refuses to resume a run that did not error, or errored before any checkpoint, storing nothing', async () => {
      const finished = await executions.runSync('counterNow', { failAt: 9 });
      const early = await executions.runSync('counterNow', { failAt: 0 });
      assert.deepEqual([finished.status, early.status, early.state], ['done', 'errored', null]);
      const before = await stored();
      await assert.rejects(executions.rerun(finished.id, { resume: true }), (err: unknown) => {
        assert.ok(err instanceof NotResumable);
        assert.deepEqual(err.details, { id: finished.id, reason: 'not-errored', status: 'done' });
        return true;
      });
      await assert.rejects(executions.rerun(early.id, { resume: true }), (err: unknown) => {
        assert.ok(err instanceof NotResumable);
        assert.equal(err.details.reason, 'no-checkpoint');
        return true;
      });
      // Someone else's run is not found, before anything is said about its state.
      await assert.rejects(executions.rerun(early.id, { resume: true, visibleTo: 'bo' }), ExecutionNotFound);
      assert.equal(await stored(), before);
    });
  });
}
