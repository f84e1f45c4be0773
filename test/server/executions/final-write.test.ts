/**
 * When the end of a run cannot be written, the function is never run again for it: the write is
 * tried again, then the execution errors with `StorageUnavailable` (the database kept failing) or
 * `OutputTooLarge` (the database refused the value), the cause logged; when nothing can be written
 * at all, the end is kept in this process: the next `advance` only writes it, and it is tried again
 * on its own until the database is back. The failures are real database
 * errors (triggers refusing the write, MariaDB's max_allowed_packet), not mocks.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRegistry } from '../../../server/registry/registry.js';
import { StorageUnavailable } from '../../../server/errors.js';
import type { ExecutionEvent, Executions } from '../../../server/executions/index.js';
import { EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { executionsFor } from '../../support/manifests.js';
import { installWriteFaults, type WriteFaults } from '../../support/write-faults.js';
import { nextEvent } from '../../support/executions.js';

const statusPath = (events: ExecutionEvent[]) =>
  events
    .filter((e) => e.kind === 'status')
    .map((e) => e.to)
    .join(' ');

for (const kind of DATABASE_KINDS) {
  describe(`the end of a run that cannot be written, on ${kind}`, () => {
    let db: TestDatabase;
    let executions: Executions;
    let faults: WriteFaults;
    const runs = new Map<string, number>();
    const logged: Array<{ level: string; object: Record<string, unknown>; message: string | undefined }> = [];
    const logger = {
      warn: (object: object, message?: string) => {
        logged.push({ level: 'warn', object: object as Record<string, unknown>, message });
      },
      error: (object: object, message?: string) => {
        logged.push({ level: 'error', object: object as Record<string, unknown>, message });
      },
    };
    const registry = createRegistry();
    const count = (key: string) => {
      runs.set(key, (runs.get(key) ?? 0) + 1);
      return { key };
    };
    registry.add(function counted(key: string) {
      return count(key);
    });
    registry.addSync(function countedSync(key: string) {
      return count(key);
    });

    before(async () => {
      db = await createTestDatabase(kind, 'finalwrite');
      executions = await executionsFor(
        db,
        registry,
        {
          counted: { properties: { key: { type: 'string' } } },
          countedSync: { properties: { key: { type: 'string' } } },
        },
        { logger, finalWriteRetry: { attempts: 2, delayMs: 1 } },
      );
      faults = await installWriteFaults(db.knex);
    });
    after(() => db.destroy());

    it('errors the run with StorageUnavailable when its end keeps failing, the function having run once', async () => {
      await faults.fail('done');
      try {
        const created = await executions.create('counted', { key: 'a' });
        const result = await executions.advance(created.id, { workerId: 'w1' });
        assert.equal(result.next, 'done');
        assert.equal(result.execution.status, 'errored');
        assert.equal(result.execution.error?.type, 'StorageUnavailable');
        assert.equal(result.execution.error?.details.attempts, 2);
        assert.equal(result.execution.attempts, 1);
        const stored = await executions.get(created.id);
        assert.equal(stored.status, 'errored');
        assert.equal(stored.error?.type, 'StorageUnavailable');
        assert.equal(statusPath(stored.events), 'created started validated running errored');
        assert.ok(
          logged.some((l) => l.level === 'error' && l.object.executionId === created.id && l.object.err),
          'the cause is logged',
        );
        assert.ok(
          logged.some(
            (l) => l.level === 'warn' && l.object.executionId === created.id && l.object.attempt === 1,
          ),
          'the retry is logged',
        );
        assert.equal((await executions.advance(created.id, { workerId: 'w1' })).next, 'done');
        assert.equal(runs.get('a'), 1);
      } finally {
        await faults.heal();
      }
    });

    it('when nothing can be written, keeps the end in memory: the next advance writes it and never runs the function again', async () => {
      const created = await executions.create('counted', { key: 'b' });
      await faults.fail('done', 'errored');
      try {
        await assert.rejects(executions.advance(created.id, { workerId: 'w1' }), StorageUnavailable);
        assert.equal(runs.get('b'), 1);
        const stranded = await db
          .knex(EXECUTIONS_TABLE)
          .where({ id: created.id })
          .first('status', 'worker_id');
        assert.deepEqual({ ...stranded }, { status: 'running', worker_id: 'w1' });
        // As Agenda retries while the database still fails: the end is tried again, the function is not.
        await assert.rejects(executions.advance(created.id, { workerId: 'w1' }), StorageUnavailable);
        assert.equal(runs.get('b'), 1);
      } finally {
        await faults.heal();
      }
      const result = await executions.advance(created.id, { workerId: 'w1' });
      assert.equal(result.execution.status, 'done');
      assert.deepEqual(result.execution.output, { key: 'b' });
      assert.equal(result.execution.attempts, 1);
      assert.equal(runs.get('b'), 1);
      const stored = await executions.get(created.id);
      assert.equal(statusPath(stored.events), 'created started validated running done');
      assert.ok(!stored.events.some((e) => e.kind === 'takeover'));
    });

    it('writes a kept end on its own once the database is back, with no advance (another worker would take the run over)', async () => {
      const created = await executions.create('counted', { key: 'e' });
      const written = nextEvent(executions, (e) => e.executionId === created.id && e.to === 'done', 30_000);
      await faults.fail('done', 'errored');
      try {
        await assert.rejects(executions.advance(created.id, { workerId: 'w1' }), StorageUnavailable);
      } finally {
        await faults.heal();
      }
      const { execution } = await written;
      assert.deepEqual(execution.output, { key: 'e' });
      assert.equal(execution.attempts, 1);
      assert.equal(runs.get('e'), 1);
    });

    it('a run in the request whose end keeps failing answers errored with StorageUnavailable, run once', async () => {
      await faults.fail('done');
      try {
        const run = await executions.runSync('countedSync', { key: 'c' });
        assert.equal(run.status, 'errored');
        assert.equal(run.error?.type, 'StorageUnavailable');
        assert.equal(runs.get('c'), 1);
        const stored = await executions.get(run.id);
        assert.equal(stored.status, 'errored');
        assert.equal(statusPath(stored.events), 'created started validated running errored');
      } finally {
        await faults.heal();
      }
    });

    it('a run in the request that cannot be ended is left running on record, and a worker of this process only writes its end', async () => {
      await faults.fail('done', 'errored');
      let id: string;
      try {
        await assert.rejects(executions.runSync('countedSync', { key: 'd' }), StorageUnavailable);
        const [row] = await db
          .knex(EXECUTIONS_TABLE)
          .where({ func_name: 'countedSync', status: 'running' })
          .select('id');
        id = row.id as string;
      } finally {
        await faults.heal();
      }
      const result = await executions.advance(id, { workerId: 'w2' });
      assert.equal(result.execution.status, 'done');
      assert.deepEqual(result.execution.output, { key: 'd' });
      assert.equal(runs.get('d'), 1);
    });
  });
}

describe("an output over MariaDB's max_allowed_packet, with maxOutputBytes above it", () => {
  let db: TestDatabase;
  let executions: Executions;
  let ran = 0;
  const registry = createRegistry();
  registry.add(async function huge() {
    ran++;
    const [[{ packet }]] = (await db.knex.raw('SELECT @@max_allowed_packet AS packet')) as [
      [{ packet: number }],
    ];
    return 'x'.repeat(Number(packet) + 1024);
  });

  before(async () => {
    db = await createTestDatabase('mysql', 'packet');
    executions = await executionsFor(
      db,
      registry,
      {},
      { maxOutputBytes: 1024 ** 3, finalWriteRetry: { attempts: 2, delayMs: 1 } },
    );
  });
  after(() => db.destroy());

  it('errors the execution with OutputTooLarge (limit null: the database refused it), the function having run once', async () => {
    const created = await executions.create('huge', {});
    const result = await executions.advance(created.id, { workerId: 'w1' });
    assert.equal(result.execution.status, 'errored');
    assert.equal(result.execution.error?.type, 'OutputTooLarge');
    assert.equal(result.execution.error?.details.limit, null);
    assert.equal(result.execution.attempts, 1);
    const stored = await executions.get(created.id);
    assert.equal(stored.status, 'errored');
    assert.equal(stored.error?.type, 'OutputTooLarge');
    assert.equal(ran, 1);
  });
});
