import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRegistry } from '../../../server/registry/registry.js';
import { IllegalTransition, ExecutionNotFound } from '../../../server/errors.js';
import { ExecutionStatus, TERMINAL_STATUSES, type Executions } from '../../../server/executions/index.js';
import { canTransition, transition, TRANSITIONS } from '../../../server/executions/transitions.js';
import { columnsFor } from '../../../server/storage/columns.js';
import { EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { executionsFor } from '../../support/manifests.js';

const STATUSES = Object.values(ExecutionStatus);

describe('the transition table', () => {
  it('follows the seed: created → started → validated → running → done | errored | cancelled, plus waiting', () => {
    assert.ok(canTransition('created', 'started'));
    assert.ok(canTransition('started', 'validated'));
    assert.ok(canTransition('validated', 'running'));
    assert.ok(canTransition('running', 'done'));
    assert.ok(canTransition('running', 'waiting'));
    assert.ok(canTransition('waiting', 'running'));
    assert.ok(!canTransition('created', 'done'), 'no skipping the pipeline');
    assert.ok(!canTransition('waiting', 'done'), 'a waiting execution finishes by running again');
    for (const from of STATUSES) {
      const terminal = TERMINAL_STATUSES.includes(from);
      assert.equal(TRANSITIONS[from].length === 0, terminal, `${from} is terminal iff it goes nowhere`);
      if (!terminal) {
        assert.ok(canTransition(from, 'cancelled'), `${from} can be cancelled`);
        assert.ok(canTransition(from, 'errored'), `${from} can error`);
      }
    }
  });
});

for (const kind of DATABASE_KINDS) {
  describe(`transition() on ${kind}`, () => {
    let db: TestDatabase;
    let executions: Executions;
    const registry = createRegistry();
    registry.add(function work() {});

    before(async () => {
      db = await createTestDatabase(kind, 'transitions');
      executions = await executionsFor(db, registry);
    });
    after(async () => { await db.destroy(); });

    it('applies every legal move with its event, and refuses every illegal one without changing anything', async () => {
      const columns = columnsFor(db.knex);
      const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => ({ from, to })));
      const created = await Promise.all(pairs.map(() => executions.create('work', {})));
      // Put each execution in its `from` status directly (as if it had got there).
      await Promise.all(pairs.map(({ from }, i) => db.knex(EXECUTIONS_TABLE).where({ id: created[i]!.id }).update({ status: from })));
      for (const [i, { from, to }] of pairs.entries()) {
        const id = created[i]!.id;
        const eventsBefore = (await executions.get(id)).events.length;
        const at = Date.now();
        if (canTransition(from, to)) {
          const events = await transition(db.knex, columns, { id, functionName: 'work', from, to, at, data: { why: 'test' } });
          assert.equal(events.length, 1);
          const after = await executions.get(id);
          assert.equal(after.status, to, `${from} → ${to}`);
          assert.equal(after.events.length, eventsBefore + 1);
          const last = after.events.at(-1)!;
          assert.deepEqual({ kind: last.kind, from: last.from, to: last.to, data: last.data, id: last.id }, { kind: 'status', from, to, data: { why: 'test' }, id: events[0]!.id });
        } else {
          await assert.rejects(transition(db.knex, columns, { id, functionName: 'work', from, to, at }), (err: unknown) => {
            assert.ok(err instanceof IllegalTransition, `${from} → ${to} must be illegal`);
            assert.deepEqual(err.details, { id, from, to, current: from });
            return true;
          });
          const after = await executions.get(id);
          assert.equal(after.status, from, 'nothing changed');
          assert.equal(after.events.length, eventsBefore, 'no event recorded');
        }
      }
    });

    it('passes through several statuses in one step, one event each', async () => {
      const { id } = await executions.create('work', {});
      await transition(db.knex, columnsFor(db.knex), { id, functionName: 'work', from: 'created', to: ['started', 'validated', 'running'], at: Date.now() });
      const after = await executions.get(id);
      assert.equal(after.status, 'running');
      assert.deepEqual(after.events.map((e) => `${e.from ?? ''}>${e.to}`), ['>created', 'created>started', 'started>validated', 'validated>running']);
      await assert.rejects(
        transition(db.knex, columnsFor(db.knex), { id, functionName: 'work', from: 'running', to: ['done', 'running'], at: Date.now() }),
        IllegalTransition, 'a path with one illegal step is refused as a whole',
      );
      assert.equal((await executions.get(id)).status, 'running');
    });

    it('refuses a move from a status the execution no longer has, naming the current one', async () => {
      const { id } = await executions.create('work', {});
      await executions.cancel(id);
      await assert.rejects(transition(db.knex, columnsFor(db.knex), { id, functionName: 'work', from: 'created', to: 'started', at: Date.now() }), (err: unknown) => {
        assert.ok(err instanceof IllegalTransition);
        assert.equal(err.details.current, 'cancelled');
        return true;
      });
      await assert.rejects(transition(db.knex, columnsFor(db.knex), { id: 'nope', functionName: 'work', from: 'created', to: 'started', at: Date.now() }), ExecutionNotFound);
    });
  });
}
