import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { createRegistry } from '../../../server/registry/registry.js';
import { IllegalTransition } from '../../../server/errors.js';
import type { Executions, ExecutionWithEvents } from '../../../server/executions/index.js';
import { createExecutions } from '../../../server/executions/create-executions.js';
import { openDatabase } from '../../../server/storage/database.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { executionsFor, manifestForRegistry } from '../../support/manifests.js';
import { gate, moveStored, nextEvent, type Gate } from '../../support/executions.js';

const ROUNDS = 12;

/** Exactly one terminal status event, the last status event, matching the stored status. */
function assertConsistent(stored: ExecutionWithEvents): void {
  const statusEvents = stored.events.filter((e) => e.kind === 'status');
  const terminal = statusEvents.filter((e) => e.to === 'done' || e.to === 'errored' || e.to === 'cancelled');
  assert.equal(terminal.length, 1, `one terminal event, got ${statusEvents.map((e) => e.to).join(' ')}`);
  assert.equal(statusEvents.at(-1)!.to, stored.status);
  if (stored.status === 'done') assert.notEqual(stored.output, null);
  else assert.equal(stored.output, null, 'a cancelled execution has no output');
}

for (const kind of DATABASE_KINDS) {
  describe(`the cancel/finish race on ${kind}, two connections`, () => {
    let db: TestDatabase;
    let otherKnex: Knex;
    let worker: Executions;
    let canceller: Executions;
    const gates = new Map<string, Gate>();
    const registry = createRegistry();
    registry.add(async function job(key: string) {
      await gates.get(key)!.promise;
      return { key };
    });

    before(async () => {
      db = await createTestDatabase(kind, 'race');
      worker = await executionsFor(db, registry, { job: { properties: { key: { type: 'string' } } } });
      // A second service on its own connection(s), as another process would have.
      otherKnex = openDatabase(db.url);
      canceller = createExecutions({
        knex: otherKnex,
        functions: registry.bind(
          manifestForRegistry(registry, { job: { properties: { key: { type: 'string' } } } }),
          { manifestDir: process.cwd() },
        ),
      });
    });
    after(async () => {
      await otherKnex.destroy();
      await db.destroy();
    });

    it('a worker finishing and another process cancelling: exactly one wins, state and events agree', async () => {
      const outcomes = { done: 0, cancelled: 0 };
      for (let round = 0; round < ROUNDS; round++) {
        const key = `r${round}`;
        gates.set(key, gate());
        const created = await worker.create('job', { key });
        const running = nextEvent(worker, (e) => e.executionId === created.id && e.to === 'running');
        const advancing = worker.advance(created.id, { workerId: 'w1' });
        await running;
        // Round 0: the finish lands first; round 1: the cancel lands first; then both at once, the
        // release shifted by a few event-loop turns so the two actors interleave differently.
        const release = () => gates.get(key)!.open();
        const turns = async (n: number) => {
          for (let i = 0; i < n; i++) await new Promise(setImmediate);
        };
        let cancel: PromiseSettledResult<unknown>;
        if (round === 0) {
          release();
          await advancing;
          [cancel] = await Promise.allSettled([canceller.cancel(created.id)]);
        } else if (round === 1) {
          [cancel] = await Promise.allSettled([canceller.cancel(created.id)]);
          release();
        } else {
          [cancel] = await Promise.allSettled([canceller.cancel(created.id), turns(round % 5).then(release)]);
        }
        const result = await advancing;
        const stored = await worker.get(created.id);
        assertConsistent(stored);
        assert.equal(result.execution.status, stored.status, 'the worker reports what is stored');
        if (stored.status === 'cancelled') {
          assert.equal(cancel.status, 'fulfilled');
        } else {
          assert.equal(stored.status, 'done');
          assert.equal(cancel.status, 'rejected');
          const reason = cancel.reason;
          assert.ok(reason instanceof IllegalTransition);
          assert.equal(reason.details.current, 'done');
        }
        outcomes[stored.status]++;
      }
      assert.ok(outcomes.done >= 1 && outcomes.cancelled >= 1, JSON.stringify(outcomes));
    });

    it('two transitions from running at once: exactly one applies, the loser learns the winner', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const created = await worker.create('job', { key: 'x' });
        await moveStored(db.knex, {
          id: created.id,
          functionName: 'job',
          from: 'created',
          to: ['started', 'validated', 'running'],
          at: Date.now(),
        });
        const at = Date.now();
        const settled = await Promise.allSettled([
          moveStored(db.knex, {
            id: created.id,
            functionName: 'job',
            from: 'running',
            to: 'done',
            at,
            patch: { output: { ok: true } },
          }),
          moveStored(otherKnex, {
            id: created.id,
            functionName: 'job',
            from: 'running',
            to: 'cancelled',
            at,
          }),
        ]);
        const winners = settled.filter((s) => s.status === 'fulfilled');
        assert.equal(winners.length, 1, 'exactly one wins');
        const loser = settled.find((s) => s.status === 'rejected') as PromiseRejectedResult;
        assert.ok(loser.reason instanceof IllegalTransition);
        const stored = await worker.get(created.id);
        assert.equal(loser.reason.details.current, stored.status);
        assertConsistent(stored);
      }
    });
  });
}
