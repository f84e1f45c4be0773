import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRegistry } from '../../../server/registry/registry.js';
import { ExecutionNotFound } from '../../../server/errors.js';
import { currentExecution, type Executions } from '../../../server/executions/index.js';
import { EVENTS_TABLE, EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { executionsFor, type FunctionSpec } from '../../support/manifests.js';

// Visibility (own executions only) is an option of get/cancel/rerun: another user's execution is
// not found, decided on the execution's row before any of its events is read.
for (const kind of DATABASE_KINDS) {
  describe(`visibility on ${kind}`, () => {
    let db: TestDatabase;
    let executions: Executions;
    const registry = createRegistry();
    registry.add(function chatty(steps: number) {
      for (let i = 1; i <= steps; i++) currentExecution().progress(i / steps, `step ${i}`);
      return steps;
    });
    registry.add(function idle() {
      return null;
    });
    const specs: Record<string, FunctionSpec> = {
      chatty: { properties: { steps: { type: 'number' } }, required: ['steps'] },
    };

    /**
     * The SQL `run` sends through Knex, from its `query` event (events are read through Knex on every
     * database; the first test shows this sees them).
     */
    async function sqlOf(run: () => Promise<unknown>): Promise<string[]> {
      const seen: string[] = [];
      const listener = (query: { sql: string }) => {
        seen.push(query.sql);
      };
      db.knex.on('query', listener);
      try {
        await run();
      } finally {
        db.knex.off('query', listener);
      }
      return seen;
    }
    const readsEvents = (sql: string[]) => sql.some((s) => s.includes(EVENTS_TABLE));

    before(async () => {
      db = await createTestDatabase(kind, 'visibility');
      executions = await executionsFor(db, registry, specs, { progressThrottleMs: 0 });
    });
    after(async () => {
      await db.destroy();
    });

    it("get: another user's execution is not found, without reading its events", async () => {
      const run = await executions.create('chatty', { steps: 20 }, { user: 'alice' });
      await executions.advance(run.id, { workerId: 'w1' });
      // The control: reading it with its events does query the events table.
      const own = await sqlOf(async () => {
        const mine = await executions.get(run.id, { visibleTo: 'alice' });
        assert.equal(mine.events.at(-1)?.to, 'done', 'its events are there');
      });
      assert.ok(readsEvents(own));

      const sql = await sqlOf(() =>
        assert.rejects(executions.get(run.id, { visibleTo: 'bob' }), ExecutionNotFound),
      );
      assert.ok(!readsEvents(sql), `no event was read: ${sql.join('; ')}`);
      await assert.rejects(
        executions.get(run.id, { visibleTo: null }),
        ExecutionNotFound,
        'null sees only executions without a user',
      );
      await assert.rejects(executions.get(run.id, { visibleTo: 'bob', events: false }), ExecutionNotFound);
    });

    it('get without events reads only the execution; null sees the executions without a user', async () => {
      const anonymous = await executions.create('idle', {});
      const sql = await sqlOf(async () => {
        const found = await executions.get(anonymous.id, { visibleTo: null, events: false });
        assert.equal(found.id, anonymous.id);
        assert.equal('events' in found, false);
      });
      assert.ok(!readsEvents(sql));
      assert.equal(
        (await executions.get(anonymous.id)).events.length,
        1,
        'everyone sees it without visibleTo',
      );
      await assert.rejects(executions.get(anonymous.id, { visibleTo: 'alice' }), ExecutionNotFound);
    });

    it("cancel: another user's execution is not found and stays as it was, without reading events", async () => {
      const run = await executions.create('idle', {}, { user: 'alice' });
      const sql = await sqlOf(() =>
        assert.rejects(executions.cancel(run.id, { user: 'bob', visibleTo: 'bob' }), ExecutionNotFound),
      );
      assert.ok(!readsEvents(sql), `no event was read: ${sql.join('; ')}`);
      assert.equal((await executions.get(run.id)).status, 'created');
      const cancelled = await executions.cancel(run.id, { user: 'alice', visibleTo: 'alice' });
      assert.equal(cancelled.status, 'cancelled');
    });

    it("rerun: another user's execution is not found and nothing is created, without reading events", async () => {
      const run = await executions.create('chatty', { steps: 3 }, { user: 'alice' });
      const rerunsOf = async () =>
        Number((await db.knex(EXECUTIONS_TABLE).where({ rerun_of: run.id }).count({ n: '*' }))[0]!.n);
      const sql = await sqlOf(() =>
        assert.rejects(executions.rerun(run.id, { user: 'bob', visibleTo: 'bob' }), ExecutionNotFound),
      );
      assert.ok(!readsEvents(sql), `no event was read: ${sql.join('; ')}`);
      assert.equal(await rerunsOf(), 0);
      const rerun = await executions.rerun(run.id, { user: 'alice', visibleTo: 'alice' });
      assert.equal(rerun.rerunOf, run.id);
      assert.equal(rerun.user, 'alice');
      assert.equal(await rerunsOf(), 1);
    });

    it('an unknown id is not found, whoever asks', async () => {
      await assert.rejects(
        executions.get('00000000-0000-4000-8000-000000000000', { visibleTo: 'alice' }),
        ExecutionNotFound,
      );
      await assert.rejects(
        executions.cancel('00000000-0000-4000-8000-000000000000', { visibleTo: 'alice' }),
        ExecutionNotFound,
      );
      await assert.rejects(executions.rerun('00000000-0000-4000-8000-000000000000'), ExecutionNotFound);
    });
  });
}
