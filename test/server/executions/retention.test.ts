/**
 * Retention on every database: finished executions older than their period go with their events;
 * pending ones stay whatever their age; a function's own period wins over the server's; a dry run
 * counts the same rows and deletes none. At scale (100,000 executions) a prune removes exactly the
 * expected rows while new executions are created and run.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Executions } from '../../../server/executions/index.js';
import type { ExecutionRecord } from '../../../server/executions/store/execution-record.js';
import { KnexExecutionStore } from '../../../server/executions/store/knex-execution-store.js';
import { toColumns } from '../../../server/executions/store/record-columns.js';
import { createRegistry } from '../../../server/registry/registry.js';
import { columnsFor } from '../../../server/storage/columns.js';
import { EVENTS_TABLE, EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { executionsFor } from '../../support/manifests.js';
import { testRecord } from '../../support/executions.js';

const DAY = 86_400_000;
const NOW = Date.now();

function record(functionName: string, status: ExecutionRecord['status'], ageDays: number): ExecutionRecord {
  const at = NOW - ageDays * DAY;
  const finished = ['done', 'errored', 'cancelled'].includes(status);
  return testRecord({
    functionName,
    status,
    input: {},
    attempts: 1,
    createdAt: at - 1000,
    updatedAt: at,
    startedAt: at - 500,
    finishedAt: finished ? at : null,
    workerId: status === 'running' ? 'gone' : null,
    heartbeatAt: status === 'running' ? at : null,
    nextRunAt: status === 'waiting' ? at : null,
    waitKind: status === 'waiting' ? 'retry' : null,
  });
}

for (const kind of DATABASE_KINDS) {
  describe(`retention on ${kind}`, () => {
    let db: TestDatabase;
    let executions: Executions;
    let store: KnexExecutionStore;
    const registry = createRegistry();
    registry.addSync(function work() {
      return 1;
    });
    registry.add(function shortLived() {}, { retention: '1d' });
    registry.add(function kept() {}, { retention: 'forever' });

    before(async () => {
      db = await createTestDatabase(kind, 'retention');
      executions = await executionsFor(db, registry);
      store = new KnexExecutionStore(db.knex);
    });
    after(async () => {
      await db.destroy();
    });

    const remaining = async () =>
      new Set((await db.knex(EXECUTIONS_TABLE).select('id')).map((row) => row.id as string));

    it('deletes finished executions past their period with their events, never pending ones, each function by its own period', async () => {
      const gone = [
        record('work', 'done', 40),
        record('work', 'errored', 31),
        record('work', 'cancelled', 100),
        record('shortLived', 'done', 2),
      ];
      const stay = [
        record('work', 'done', 29),
        record('shortLived', 'done', 0.5),
        record('kept', 'done', 400),
        // Pending, however old: created, running on a worker long gone, waiting.
        record('work', 'created', 400),
        record('work', 'running', 400),
        record('work', 'waiting', 400),
        record('shortLived', 'running', 10),
      ];
      for (const r of [...gone, ...stay]) {
        await store.insert(r, [{ kind: 'status', from: null, to: 'created' }]);
        await store.change(r.id, { status: r.status }, r.updatedAt, {
          functionName: r.functionName,
          events: [{ kind: 'progress', data: { fraction: 1 } }],
        });
      }
      const dry = await executions.prune({ defaultMs: 30 * DAY, dryRun: true, now: NOW });
      assert.deepEqual(dry, { total: 4, byPolicy: { '*': 3, shortLived: 1 } });
      assert.equal((await remaining()).size, gone.length + stay.length, 'a dry run deletes nothing');

      const report = await executions.prune({ defaultMs: 30 * DAY, batchSize: 2, now: NOW });
      assert.deepEqual(report, dry);
      assert.deepEqual(await remaining(), new Set(stay.map((r) => r.id)));
      const events = await db.knex(EVENTS_TABLE).select('execution_id');
      assert.deepEqual(
        new Set(events.map((e) => e.execution_id)),
        new Set(stay.map((r) => r.id)),
        'events went with their executions',
      );
      assert.equal(events.length, stay.length * 2, 'the kept ones keep every event');
      assert.deepEqual(await executions.prune({ defaultMs: 30 * DAY, now: NOW }), {
        total: 0,
        byPolicy: { '*': 0, shortLived: 0 },
      });
      assert.deepEqual(
        await executions.prune({ now: NOW + 3650 * DAY }),
        { total: 1, byPolicy: { shortLived: 1 } },
        'without a server period only functions with their own go (the running one stays)',
      );
    });

    it(
      'removes exactly the expected rows out of 100,000 while new executions are created and run',
      { timeout: 300_000 },
      async () => {
        await db.knex(EVENTS_TABLE).delete();
        await db.knex(EXECUTIONS_TABLE).delete();
        const columns = columnsFor(db.knex);
        const old: string[] = [];
        const kept: string[] = [];
        const rows: Record<string, unknown>[] = [];
        for (let i = 0; i < 100_000; i++) {
          // Every third one is old and finished; the others recent, or old but pending.
          const r =
            i % 3 === 0
              ? record('work', 'done', 60)
              : record('work', i % 3 === 1 ? 'done' : 'waiting', i % 3 === 1 ? 1 : 60);
          (i % 3 === 0 ? old : kept).push(r.id);
          rows.push(toColumns(columns, r));
        }
        // SQLite inserts many rows as one compound SELECT, at most 500 terms.
        const chunk = kind === 'sqlite' ? 400 : 1000;
        await db.knex.batchInsert(EXECUTIONS_TABLE, rows, chunk);
        await db.knex.batchInsert(
          EVENTS_TABLE,
          rows.map((row) => ({
            execution_id: row.id,
            func_name: 'work',
            at: row.updated_at,
            kind: 'status',
            to_status: 'created',
          })),
          chunk,
        );

        let pruning = true;
        const runs: string[] = [];
        const runner = (async () => {
          while (pruning) runs.push((await executions.runSync('work', {})).id);
        })();
        const report = await executions.prune({ defaultMs: 30 * DAY, now: NOW }).finally(() => {
          pruning = false;
        });
        await runner;
        assert.equal(report.total, old.length);
        const left = await remaining();
        assert.equal(left.size, kept.length + runs.length);
        for (const id of [...kept, ...runs]) assert.ok(left.has(id), `${id} kept`);
        assert.ok(runs.length > 0, 'executions ran during the prune');
        for (const id of runs) assert.equal((await executions.get(id, { events: false })).status, 'done');
      },
    );
  });
}
