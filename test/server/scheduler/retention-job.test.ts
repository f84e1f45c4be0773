/**
 * The retention job: however many workers schedule it, there is one recurring job; when it runs it
 * deletes the finished executions past their period and leaves the rest.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Executions } from '../../../server/executions/index.js';
import { KnexExecutionStore } from '../../../server/executions/store/knex-execution-store.js';
import { createRegistry } from '../../../server/registry/registry.js';
import { createScheduler, type Scheduler } from '../../../server/scheduler/index.js';
import { PRUNE_JOB } from '../../../server/scheduler/retention-job.js';
import { EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { executionsFor } from '../../support/manifests.js';
import { testRecord } from '../../support/executions.js';

const DAY = 86_400_000;

for (const kind of DATABASE_KINDS) {
  describe(`the retention job on ${kind}`, () => {
    let db: TestDatabase;
    let executions: Executions;
    const schedulers: Scheduler[] = [];
    const registry = createRegistry();
    registry.add(function work() {});

    before(async () => {
      db = await createTestDatabase(kind, 'retention_job');
      executions = await executionsFor(db, registry);
      await createScheduler.migrate(db.knex);
    });
    after(async () => {
      await Promise.all(schedulers.map((s) => s.stop(0)));
      await db.destroy();
    });

    it('is one job for two workers, and a run of it prunes', async () => {
      const at = Date.now() - 40 * DAY;
      const finished = testRecord({
        status: 'done',
        input: {},
        attempts: 1,
        createdAt: at,
        updatedAt: at,
        startedAt: at,
        finishedAt: at,
      });
      await new KnexExecutionStore(db.knex).insert(finished, [{ kind: 'status', from: null, to: 'created' }]);
      const pendingOne = await executions.create('work', {});
      for (let i = 0; i < 2; i++) {
        const scheduler = createScheduler({ knex: db.knex, executions });
        schedulers.push(scheduler);
        // Short lock and poll: Agenda keeps a ran job's liveness timer (half the longer of the two) after stop.
        await scheduler.startWorker({
          processEvery: 1000,
          heartbeatTtlMs: 2000,
          sweepEvery: 0,
          retention: { defaultMs: 30 * DAY },
        });
      }
      const jobs = await db.knex('turtle_agenda_jobs').where({ name: PRUNE_JOB });
      assert.equal(jobs.length, 1, 'one recurring job, whatever the number of workers');

      const agenda = (await schedulers[0]!.startWorker()).agenda;
      const pruned = new Promise<void>((resolve) => agenda.once(`complete:${PRUNE_JOB}`, () => resolve()));
      await agenda.now(PRUNE_JOB);
      await pruned;
      const left = (await db.knex(EXECUTIONS_TABLE).select('id')).map((row) => row.id as string);
      assert.deepEqual(left, [pendingOne.id]);
    });
  });
}
