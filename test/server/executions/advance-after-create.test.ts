import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { createRegistry } from '../../../server/registry/registry.js';
import type { Executions } from '../../../server/executions/index.js';
import { createExecutions } from '../../../server/executions/create-executions.js';
import { openDatabase } from '../../../server/storage/database.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { executionsFor, manifestForRegistry, type FunctionSpec } from '../../support/manifests.js';

// `advance` claims a row this service just created without reading it back: these check that a row
// changed meanwhile by another process is still seen as it is stored.
for (const kind of DATABASE_KINDS) {
  describe(`advance after create, with another process in between, on ${kind}`, () => {
    let db: TestDatabase;
    let otherKnex: Knex;
    let creator: Executions;
    let other: Executions;
    const calls: number[] = [];
    const registry = createRegistry();
    registry.add(function twice(n: number) {
      calls.push(n);
      return n * 2;
    });
    const schema: Record<string, FunctionSpec> = { twice: { properties: { n: { type: 'number' } } } };

    before(async () => {
      db = await createTestDatabase(kind, 'advance_after_create');
      creator = await executionsFor(db, registry, schema);
      otherKnex = openDatabase(db.url);
      other = createExecutions({
        knex: otherKnex,
        functions: registry.bind(manifestForRegistry(registry, schema), { manifestDir: process.cwd() }),
      });
    });
    after(async () => {
      await otherKnex.destroy();
      await db.destroy();
    });

    it('runs a created execution once, storing its output and one event per step', async () => {
      const created = await creator.create('twice', { n: 21 });
      const result = await creator.advance(created.id, { workerId: 'w1' });
      assert.equal(result.next, 'done');
      assert.equal(result.execution.output, 42);
      const stored = await other.get(created.id);
      assert.equal(stored.status, 'done');
      assert.equal(stored.attempts, 1);
      assert.deepEqual(
        stored.events.filter((e) => e.kind === 'status').map((e) => e.to),
        ['created', 'started', 'validated', 'running', 'done'],
      );
    });

    it('does not run an execution another process cancelled after it was created', async () => {
      const before = calls.length;
      const created = await creator.create('twice', { n: 1 });
      await other.cancel(created.id);
      const result = await creator.advance(created.id, { workerId: 'w1' });
      assert.equal(result.next, 'done');
      assert.equal(result.execution.status, 'cancelled');
      assert.equal(calls.length, before, 'the function did not run');
      const stored = await creator.get(created.id);
      assert.equal(stored.status, 'cancelled');
      assert.equal(stored.output, null);
    });

    it('does not run again an execution another worker already finished', async () => {
      const created = await creator.create('twice', { n: 5 });
      assert.equal((await other.advance(created.id, { workerId: 'w2' })).next, 'done');
      const runs = calls.length;
      const result = await creator.advance(created.id, { workerId: 'w1' });
      assert.equal(result.next, 'done');
      assert.equal(result.execution.output, 10);
      assert.equal(calls.length, runs, 'ran once');
      const stored = await creator.get(created.id);
      assert.equal(stored.events.filter((e) => e.to === 'done').length, 1);
    });
  });
}
