import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRegistry } from '../../../server/registry/registry.js';
import { IdempotencyKeyReused, UnknownFunction, ValidationError } from '../../../server/errors.js';
import type { Execution, Executions } from '../../../server/executions/index.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { executionsFor, type FunctionSpec } from '../../support/manifests.js';

/** A logger that keeps its warnings. */
function recordingLogger() {
  const warnings: Array<{ object: Record<string, unknown>; message: string | undefined }> = [];
  return {
    warnings,
    warn(object: object, message?: string) {
      warnings.push({ object: object as Record<string, unknown>, message });
    },
    error() {},
  };
}

// `submit` is what the API calls to run a function: it decides sync or background, and a background
// execution reaches the scheduler through the service's port, not through the caller.
for (const kind of DATABASE_KINDS) {
  describe(`submit on ${kind}`, () => {
    let db: TestDatabase;
    let executions: Executions;
    let failing: Executions;
    const enqueued: Execution[] = [];
    const log = recordingLogger();
    const registry = createRegistry();
    registry.addSync(function add(a: number, b: number) {
      return a + b;
    });
    registry.add(function twice(n: number) {
      return n * 2;
    });
    const specs: Record<string, FunctionSpec> = {
      add: { properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
      twice: { properties: { n: { type: 'number' } }, required: ['n'] },
    };

    before(async () => {
      db = await createTestDatabase(kind, 'submit');
      executions = await executionsFor(db, registry, specs, {
        scheduler: {
          enqueue: (execution) => {
            enqueued.push(execution);
          },
        },
      });
      failing = await executionsFor(db, registry, specs, {
        logger: log,
        scheduler: {
          enqueue: async () => {
            throw new Error('agenda is down');
          },
        },
      });
    });
    after(async () => {
      await db.destroy();
    });

    it('runs a sync function in the call and returns it finished, handing nothing to the scheduler', async () => {
      const before = enqueued.length;
      const execution = await executions.submit('add', { a: 2, b: 3 }, { user: 'alice' });
      assert.equal(execution.mode, 'sync');
      assert.equal(execution.status, 'done');
      assert.equal(execution.output, 5);
      assert.equal(execution.user, 'alice');
      assert.equal(enqueued.length, before);
      assert.equal((await executions.get(execution.id)).status, 'done');
    });

    it('stores a background function as created and hands exactly that execution to the scheduler port', async () => {
      const before = enqueued.length;
      const execution = await executions.submit('twice', { n: 4 }, { user: 'alice' });
      assert.equal(execution.mode, 'async');
      assert.equal(execution.status, 'created');
      assert.deepEqual(
        enqueued.slice(before).map((e) => [e.id, e.status]),
        [[execution.id, 'created']],
      );
      const stored = await executions.get(execution.id);
      assert.equal(stored.status, 'created');
      assert.equal(stored.user, 'alice');
    });

    it('logs a failed enqueue instead of throwing: the execution is stored and created, for the sweep', async () => {
      const execution = await failing.submit('twice', { n: 1 });
      assert.equal(execution.status, 'created');
      assert.equal((await failing.get(execution.id)).status, 'created');
      assert.ok(
        (await failing.pending()).some((e) => e.id === execution.id),
        'the sweep finds it',
      );
      const warning = log.warnings.find((w) => w.object.executionId === execution.id);
      assert.ok(warning, 'the failure was logged');
      assert.match(String(warning.message), /could not enqueue/);
      assert.equal((warning.object.err as Error).message, 'agenda is down');
    });

    it('does not enqueue an idempotency-key replay again', async () => {
      const before = enqueued.length;
      const first = await executions.submit('twice', { n: 7 }, { user: 'bob', idempotencyKey: 'k-1' });
      const again = await executions.submit('twice', { n: 7 }, { user: 'bob', idempotencyKey: 'k-1' });
      assert.equal(again.id, first.id);
      assert.deepEqual(
        enqueued.slice(before).map((e) => e.id),
        [first.id],
      );
      await assert.rejects(
        executions.submit('twice', { n: 8 }, { user: 'bob', idempotencyKey: 'k-1' }),
        IdempotencyKeyReused,
      );
      assert.equal(enqueued.length, before + 1);
    });

    it('hands a background rerun to the port, and runs a sync rerun in the call', async () => {
      const original = await executions.submit('twice', { n: 2 });
      let before = enqueued.length;
      const rerun = await executions.rerun(original.id, { user: 'carol' });
      assert.equal(rerun.status, 'created');
      assert.equal(rerun.rerunOf, original.id);
      assert.deepEqual(
        enqueued.slice(before).map((e) => e.id),
        [rerun.id],
      );

      const sync = await executions.submit('add', { a: 1, b: 1 });
      before = enqueued.length;
      const syncRerun = await executions.rerun(sync.id);
      assert.equal(syncRerun.status, 'done');
      assert.equal(syncRerun.output, 2);
      assert.equal(enqueued.length, before);
    });

    it('stores and enqueues nothing for an unknown function or an invalid input', async () => {
      const before = enqueued.length;
      const stored = (await executions.list({ limit: 500 })).items.length;
      await assert.rejects(executions.submit('nope', {}), UnknownFunction);
      await assert.rejects(executions.submit('twice', { n: 'x' }), ValidationError);
      assert.equal(enqueued.length, before);
      assert.equal((await executions.list({ limit: 500 })).items.length, stored);
    });
  });
}
