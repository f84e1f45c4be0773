/**
 * Turtle's jobs in one process, through a real Agenda on the Knex backend: executions are advanced
 * by a worker (at once when enqueued in process), waiting and retries are rescheduled, cancel from
 * another process is noticed within a second, timeouts error, the sweep recovers executions that
 * were never enqueued, and drain hands back what still runs (due at once, its claim cleared).
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { createRegistry } from '../../../server/registry/registry.js';
import {
  createExecutions,
  currentExecution,
  pending,
  type Execution,
  type Executions,
} from '../../../server/executions/index.js';
import {
  createScheduler,
  ADVANCE_JOB,
  KnexJobRepository,
  type Scheduler,
} from '../../../server/scheduler/index.js';
import { EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { executionsFor, manifestForRegistry } from '../../support/manifests.js';
import { aborted, gate, nextEvent, type Gate } from '../../support/executions.js';

for (const kind of DATABASE_KINDS) {
  describe(`turtle's jobs on ${kind}`, () => {
    let db: TestDatabase;
    let executions: Executions;
    let scheduler: Scheduler | undefined;
    const registry = createRegistry();
    const gates = new Map<string, Gate>();
    const seen: Record<string, unknown> = {};

    registry.add(function double(n: number) {
      return n * 2;
    });
    registry.add(
      function poller(n: number) {
        return pending({ n }, { after: 100 });
      },
      {
        poll: (state: { n: number }) =>
          state.n >= 3 ? `polled ${state.n}` : pending({ n: state.n + 1 }, { after: 50 }),
      },
    );
    registry.add(
      function flaky(failures: number) {
        const current = currentExecution<{ tries: number }>();
        const tries = (current.state?.tries ?? 0) + 1;
        current.checkpoint({ tries });
        if (tries <= failures) throw new Error(`failure ${tries}`);
        return tries;
      },
      { retries: 2, backoff: { delay: 100, factor: 1 } },
    );
    registry.add(
      async function blocked(key: string) {
        const current = currentExecution();
        gates.get(key)!.open(); // tell the test it runs
        seen[key] = await aborted(current.signal, 20_000);
        return 'too late';
      },
      {
        cancel: (_state, context) => {
          seen[`cancel:${context.id}`] = true;
        },
      },
    );
    registry.add(
      async function slow() {
        await aborted(currentExecution().signal, 20_000);
      },
      { timeout: 150 },
    );

    const specs = {
      double: { properties: { n: { type: 'number' as const } } },
      poller: { properties: { n: { type: 'number' as const } } },
      flaky: { properties: { failures: { type: 'number' as const } } },
      blocked: { properties: { key: { type: 'string' as const } } },
    };

    before(async () => {
      db = await createTestDatabase(kind, 'sched');
      executions = await executionsFor(db, registry, specs);
    });
    afterEach(async () => {
      await scheduler?.stop(2_000);
      scheduler = undefined;
    });
    after(() => db.destroy());

    const done = (id: string, ms = 10_000) =>
      nextEvent(
        executions,
        (e) => e.executionId === id && ['done', 'errored', 'cancelled'].includes(e.to ?? ''),
        ms,
      );

    async function start(options = {}): Promise<Scheduler> {
      scheduler = createScheduler({ knex: db.knex, executions });
      await scheduler.startWorker({ processEvery: 200, sweepEvery: 0, heartbeatTtlMs: 3_000, ...options });
      return scheduler;
    }

    it('runs an enqueued execution at once in process, and removes its job', async () => {
      // The next poll is 10 s away (the one at start ran before the job existed), and the wait ends
      // before it: only the in-process notification can start the job in time. (Not longer: Agenda
      // keeps a ran job's liveness timer, half the poll interval, alive after stop.)
      const s = await start({ processEvery: 10_000 });
      const execution = await executions.create('double', { n: 21 });
      const finished = done(execution.id, 8_000);
      await s.enqueue(execution);
      const { execution: result } = await finished;
      assert.equal(result.status, 'done');
      assert.equal((await executions.get(execution.id)).output, 42);
      const repo = new KnexJobRepository({ knex: db.knex });
      await nextJobGone(repo, execution.id);
    });

    it('polls a waiting execution again after its `after`', async () => {
      const s = await start();
      const execution = await executions.create('poller', { n: 1 });
      const finished = done(execution.id);
      await s.enqueue(execution);
      const { execution: result } = await finished;
      assert.equal(result.status, 'done');
      assert.equal((await executions.get(execution.id)).output, 'polled 3');
    });

    it('retries with backoff, attempts and next retry time visible on the execution', async () => {
      const s = await start();
      const execution = await executions.create('flaky', { failures: 2 });
      const retry = nextEvent(executions, (e) => e.executionId === execution.id && e.kind === 'retry');
      const finished = done(execution.id);
      await s.enqueue(execution);
      const { execution: waiting } = await retry;
      assert.equal(waiting.status, 'waiting');
      assert.ok(waiting.nextRunAt, 'next retry time is visible');
      await finished;
      const result = await executions.get(execution.id);
      assert.equal(result.status, 'done');
      assert.equal(result.output, 3);
      assert.equal(result.attempts, 3);
      assert.equal(result.events.filter((e) => e.kind === 'retry').length, 2);
    });

    it("notices a cancel made by another process through the running execution's heartbeat", async () => {
      const s = await start();
      const key = `cancel-${kind}`;
      gates.set(key, gate());
      const execution = await executions.create('blocked', { key });
      await s.enqueue(execution);
      await gates.get(key)!.promise;
      // Another process: its own service, which does not hold the running function.
      const elsewhere = createExecutions({
        knex: db.knex,
        functions: registry.bind(manifestForRegistry(registry, specs), { manifestDir: process.cwd() }),
      });
      await elsewhere.cancel(execution.id);
      // The function stays blocked until aborted: only the worker noticing the cancel ends it.
      await waitFor(() => seen[key] !== undefined, 30_000);
      assert.equal((seen[key] as Error).name, 'Cancelled');
      assert.equal(seen[`cancel:${execution.id}`], true, 'the cancel hook ran');
      const result = await executions.get(execution.id);
      assert.equal(result.status, 'cancelled');
    });

    it('errors an execution that outlives its timeout with Timeout', async () => {
      const s = await start();
      const execution = await executions.create('slow', {});
      const finished = done(execution.id);
      await s.enqueue(execution);
      await finished;
      const result = await executions.get(execution.id);
      assert.equal(result.status, 'errored');
      assert.equal(result.error?.type, 'Timeout');
    });

    it('sweeps pending executions that were never enqueued', async () => {
      const lost: Execution[] = [];
      for (let n = 0; n < 3; n++) lost.push(await executions.create('double', { n }));
      const finished = Promise.all(lost.map((e) => done(e.id)));
      await start({ sweepEvery: 60_000 });
      await finished;
      for (const e of lost) assert.equal((await executions.get(e.id)).status, 'done');
    });

    it('drains: finishes in time, or hands back what still runs for another worker', async () => {
      const s = await start();
      const key = `drain-${kind}`;
      gates.set(key, gate());
      const execution = await executions.create('blocked', { key });
      await s.enqueue(execution);
      await gates.get(key)!.promise;
      assert.equal(await s.stop(100), false);
      const repo = new KnexJobRepository({ knex: db.knex });
      const [job] = (await repo.queryJobs({ name: ADVANCE_JOB, data: { executionId: execution.id } })).jobs;
      assert.equal(job!.lockedAt, undefined, 'released');
      assert.ok(job!.nextRunAt!.getTime() <= Date.now(), 'due at once, not when the heartbeat expires');
      const row = await db
        .knex(EXECUTIONS_TABLE)
        .where({ id: execution.id })
        .first('status', 'worker_id', 'heartbeat_at');
      assert.deepEqual(
        { ...row },
        { status: 'running', worker_id: null, heartbeat_at: null },
        'its claim cleared for another worker',
      );
      // Let the handed-back run end before the database closes.
      await executions.cancel(execution.id);
      await nextJobGone(repo, execution.id);
    });
  });
}

async function waitFor(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10)); // polling a condition, bounded by the deadline
  }
}

async function nextJobGone(repo: KnexJobRepository, executionId: string): Promise<void> {
  const deadline = Date.now() + 3_000;
  while ((await repo.queryJobs({ data: { executionId } })).total > 0) {
    if (Date.now() > deadline) throw new Error('the finished execution kept its job');
    await new Promise((r) => setTimeout(r, 20));
  }
}
