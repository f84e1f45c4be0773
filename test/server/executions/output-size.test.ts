/**
 * The size caps (`maxOutputBytes`, `maxInputBytes`), counted in UTF-8 bytes of the JSON text and
 * checked before anything is written: an oversized result, pending state or error errors the
 * execution with `OutputTooLarge`; an oversized checkpoint is refused (the function hears of it);
 * an oversized input is a ValidationError and nothing is stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRegistry } from '../../../server/registry/registry.js';
import { OutputTooLarge, ValidationError } from '../../../server/errors.js';
import { currentExecution, pending, type Executions } from '../../../server/executions/index.js';
import { EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { executionsFor } from '../../support/manifests.js';

const LIMIT = 1000;

for (const kind of DATABASE_KINDS) {
  describe(`size caps on ${kind}`, () => {
    let db: TestDatabase;
    let executions: Executions;
    const registry = createRegistry();

    registry.addSync(function text(unit: string, count: number) {
      return unit.repeat(count);
    });
    registry.addSync(function hugeError() {
      throw Object.assign(new Error('with a huge detail'), { details: { dump: 'x'.repeat(5 * LIMIT) } });
    });
    registry.add(async function checkpointer(size: number, catchIt: boolean) {
      const current = currentExecution<{ step: string }>();
      current.checkpoint({ step: 'small' });
      try {
        current.checkpoint({ step: 'x'.repeat(size) });
      } catch (err) {
        if (!catchIt) throw err;
        return (err as OutputTooLarge).type;
      }
      return 'accepted';
    });
    registry.add(function waits(size: number) {
      return pending('x'.repeat(size), { after: 60_000 });
    });

    before(async () => {
      db = await createTestDatabase(kind, 'sizes');
      executions = await executionsFor(
        db,
        registry,
        {
          text: { properties: { unit: { type: 'string' }, count: { type: 'integer' } } },
          checkpointer: { properties: { size: { type: 'integer' }, catchIt: { type: 'boolean' } } },
          waits: { properties: { size: { type: 'integer' } } },
        },
        { maxOutputBytes: LIMIT, maxInputBytes: LIMIT, progressThrottleMs: 0 },
      );
    });
    after(() => db.destroy());

    const count = async () => Number((await db.knex(EXECUTIONS_TABLE).count({ n: '*' }).first())?.n);

    it('stores a result up to the cap, and errors one over it with OutputTooLarge (bytes, limit), output not stored', async () => {
      const fits = await executions.runSync('text', { unit: 'x', count: LIMIT - 2 }); // quoted: exactly LIMIT bytes
      assert.equal(fits.status, 'done');
      assert.equal((fits.output as string).length, LIMIT - 2);
      const over = await executions.runSync('text', { unit: 'x', count: LIMIT - 1 });
      assert.equal(over.status, 'errored');
      assert.deepEqual(over.error, {
        type: 'OutputTooLarge',
        message: `The execution's output is ${LIMIT + 1} bytes as JSON, more than the limit of ${LIMIT}`,
        details: { what: 'output', bytes: LIMIT + 1, limit: LIMIT },
      });
      const stored = await executions.get(over.id);
      assert.equal(stored.status, 'errored');
      assert.equal(stored.output, null);
      assert.equal(stored.error?.type, 'OutputTooLarge');
    });

    it('counts UTF-8 bytes, not characters', async () => {
      // 600 characters of two bytes each: under the cap in characters, over it in bytes.
      const run = await executions.runSync('text', { unit: 'é', count: 600 });
      assert.equal(run.status, 'errored');
      assert.deepEqual(run.error?.details, { what: 'output', bytes: 1202, limit: LIMIT });
    });

    it('stores an error too big to store as OutputTooLarge', async () => {
      const run = await executions.runSync('hugeError', {});
      assert.equal(run.status, 'errored');
      assert.equal(run.error?.type, 'OutputTooLarge');
      assert.equal(run.error?.details.what, 'error');
      assert.equal((await executions.get(run.id)).error?.type, 'OutputTooLarge');
    });

    it('refuses a checkpoint over the cap: the function hears OutputTooLarge and the stored state stays the last one', async () => {
      const caught = await executions.create('checkpointer', { size: 2 * LIMIT, catchIt: true });
      const result = await executions.advance(caught.id, { workerId: 'w1' });
      assert.equal(result.execution.status, 'done');
      assert.equal(result.execution.output, 'OutputTooLarge');
      const row = await db.knex(EXECUTIONS_TABLE).where({ id: caught.id }).first('state_json');
      const state = typeof row.state_json === 'string' ? JSON.parse(row.state_json) : row.state_json; // MySQL's driver parses JSON
      assert.deepEqual(state, { step: 'small' });

      const uncaught = await executions.create('checkpointer', { size: 2 * LIMIT, catchIt: false });
      const failed = await executions.advance(uncaught.id, { workerId: 'w1' });
      assert.equal(failed.execution.status, 'errored');
      assert.deepEqual(failed.execution.error?.details, {
        what: 'state',
        bytes: 2 * LIMIT + '{"step":""}'.length,
        limit: LIMIT,
      });

      const small = await executions.create('checkpointer', { size: 10, catchIt: true });
      assert.equal((await executions.advance(small.id, { workerId: 'w1' })).execution.output, 'accepted');
    });

    it('errors a pending state over the cap with OutputTooLarge instead of waiting', async () => {
      const created = await executions.create('waits', { size: 2 * LIMIT });
      const result = await executions.advance(created.id, { workerId: 'w1' });
      assert.equal(result.next, 'done');
      assert.equal(result.execution.status, 'errored');
      assert.deepEqual(result.execution.error?.details, {
        what: 'state',
        bytes: 2 * LIMIT + 2,
        limit: LIMIT,
      });
      const ok = await executions.create('waits', { size: 10 });
      assert.equal((await executions.advance(ok.id, { workerId: 'w1' })).next, 'wait');
    });

    it('refuses an input over maxInputBytes with a ValidationError (keyword maxBytes), storing nothing', async () => {
      const before = await count();
      const input = { unit: 'x'.repeat(LIMIT), count: 1 };
      for (const attempt of [
        () => executions.create('text', input),
        () => executions.runSync('text', input),
      ]) {
        await assert.rejects(attempt(), (err: ValidationError) => {
          assert.ok(err instanceof ValidationError);
          assert.equal(err.details.errors[0]?.keyword, 'maxBytes');
          assert.equal(err.details.errors[0]?.params.limit, LIMIT);
          return true;
        });
      }
      assert.equal(await count(), before);
      assert.equal((await executions.create('text', { unit: 'x', count: 1 })).status, 'created');
    });
  });
}
