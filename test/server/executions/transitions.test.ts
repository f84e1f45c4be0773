import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRegistry } from '../../../server/registry/registry.js';
import { IllegalTransition, ExecutionNotFound } from '../../../server/errors.js';
import { ExecutionStatus, TERMINAL_STATUSES, type Executions } from '../../../server/executions/index.js';
import { canTransition, TRANSITIONS } from '../../../server/executions/transitions.js';
import { EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { moveStored } from '../../support/executions.js';
import { executionsFor } from '../../support/manifests.js';

const STATUSES = Object.values(ExecutionStatus);

// Written out here, not read from the code under test: the seed's pipeline plus waiting.
const LEGAL = new Set([
  'created>started',
  'created>cancelled',
  'created>errored',
  'started>validated',
  'started>cancelled',
  'started>errored',
  'validated>running',
  'validated>cancelled',
  'validated>errored',
  'running>done',
  'running>errored',
  'running>cancelled',
  'running>waiting',
  'waiting>running',
  'waiting>cancelled',
  'waiting>errored',
]);

describe('the transition table', () => {
  it("allows exactly the seed's moves: created → started → validated → running → done | errored | cancelled, plus waiting", () => {
    for (const from of STATUSES) {
      for (const to of STATUSES)
        assert.equal(canTransition(from, to), LEGAL.has(`${from}>${to}`), `${from} → ${to}`);
      assert.equal(
        TRANSITIONS[from].length === 0,
        TERMINAL_STATUSES.includes(from),
        `${from} is terminal iff it goes nowhere`,
      );
    }
  });
});

for (const kind of DATABASE_KINDS) {
  describe(`moving a stored execution on ${kind}`, () => {
    let db: TestDatabase;
    let executions: Executions;
    const registry = createRegistry();
    registry.add(function work() {});

    before(async () => {
      db = await createTestDatabase(kind, 'transitions');
      executions = await executionsFor(db, registry);
    });
    after(async () => {
      await db.destroy();
    });

    it('applies every legal move with its event, and refuses every illegal one without changing anything', async () => {
      const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => ({ from, to })));
      const created = await Promise.all(pairs.map(() => executions.create('work', {})));
      // Put each execution in its `from` status directly (as if it had got there).
      await Promise.all(
        pairs.map(({ from }, i) =>
          db.knex(EXECUTIONS_TABLE).where({ id: created[i]!.id }).update({ status: from }),
        ),
      );
      for (const [i, { from, to }] of pairs.entries()) {
        const id = created[i]!.id;
        const eventsBefore = (await executions.get(id)).events.length;
        const at = Date.now();
        if (LEGAL.has(`${from}>${to}`)) {
          const events = await moveStored(db.knex, {
            id,
            functionName: 'work',
            from,
            to,
            at,
            data: { why: 'test' },
          });
          assert.equal(events.length, 1);
          const after = await executions.get(id);
          assert.equal(after.status, to, `${from} → ${to}`);
          assert.equal(after.events.length, eventsBefore + 1);
          const last = after.events.at(-1)!;
          assert.deepEqual(
            { kind: last.kind, from: last.from, to: last.to, data: last.data, id: last.id },
            { kind: 'status', from, to, data: { why: 'test' }, id: events[0]!.id },
          );
        } else {
          await assert.rejects(
            moveStored(db.knex, { id, functionName: 'work', from, to, at }),
            (err: unknown) => {
              assert.ok(err instanceof IllegalTransition, `${from} → ${to} must be illegal`);
              assert.deepEqual(err.details, { id, from, to, current: from });
              return true;
            },
          );
          const after = await executions.get(id);
          assert.equal(after.status, from, 'nothing changed');
          assert.equal(after.events.length, eventsBefore, 'no event recorded');
        }
      }
    });

    it('passes through several statuses in one step, one event each', async () => {
      const { id } = await executions.create('work', {});
      await moveStored(db.knex, {
        id,
        functionName: 'work',
        from: 'created',
        to: ['started', 'validated', 'running'],
        at: Date.now(),
      });
      const after = await executions.get(id);
      assert.equal(after.status, 'running');
      assert.deepEqual(
        after.events.map((e) => `${e.from ?? ''}>${e.to}`),
        ['>created', 'created>started', 'started>validated', 'validated>running'],
      );
      await assert.rejects(
        moveStored(db.knex, {
          id,
          functionName: 'work',
          from: 'running',
          to: ['done', 'running'],
          at: Date.now(),
        }),
        IllegalTransition,
        'a path with one illegal step is refused as a whole',
      );
      assert.equal((await executions.get(id)).status, 'running');
    });

    it('refuses a move from a status the execution no longer has, naming the current one', async () => {
      const { id } = await executions.create('work', {});
      await executions.cancel(id);
      await assert.rejects(
        moveStored(db.knex, { id, functionName: 'work', from: 'created', to: 'started', at: Date.now() }),
        (err: unknown) => {
          assert.ok(err instanceof IllegalTransition);
          assert.equal(err.details.current, 'cancelled');
          return true;
        },
      );
      await assert.rejects(
        moveStored(db.knex, {
          id: 'nope',
          functionName: 'work',
          from: 'created',
          to: 'started',
          at: Date.now(),
        }),
        ExecutionNotFound,
      );
    });
  });
}
