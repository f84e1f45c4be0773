/**
 * Real `turtle worker` processes on MariaDB: 2,000 executions across 3 workers each run exactly
 * once; SIGTERM drains and exits 0; executions created while no worker runs are done once one
 * starts (enqueued or not); a worker killed with SIGKILL mid-execution is taken over by another
 * once its heartbeat expired, and nothing is lost.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { Knex } from 'knex';
import type { Execution, Executions } from '../../../server/executions/index.js';
import type { Scheduler } from '../../../server/scheduler/index.js';
import { EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { EFFECTS, startWorkerFleet, until, type WorkerFleet } from './support/worker-fleet.js';

describe('turtle worker processes on MariaDB', () => {
  let fleet: WorkerFleet;
  let knex: Knex;
  let executions: Executions;
  let api: Scheduler;

  before(async () => {
    fleet = await startWorkerFleet('mysql', 'workers', {
      TURTLE_POLL_MS: '200',
      TURTLE_SWEEP_MS: '2000',
      LOG_LEVEL: 'error',
    });
    ({ knex, executions, api } = fleet);
  });
  after(() => fleet.close());

  /** Starts `turtle worker` with 8 slots and resolves once it says it runs. */
  async function worker(env: Record<string, string> = {}): Promise<ChildProcess> {
    return (await fleet.worker(env, ['--concurrency', '8'])).child;
  }

  async function terminate(child: ChildProcess): Promise<number | null> {
    const exited = once(child, 'exit', { signal: AbortSignal.timeout(20_000) });
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    return code;
  }

  const countWhere = async (statuses: string[], ids?: string[]) => {
    const q = knex(EXECUTIONS_TABLE).whereIn('status', statuses);
    if (ids) q.whereIn('id', ids);
    const [row] = await q.count({ n: '*' });
    return Number((row as { n: number }).n);
  };

  async function createMany(count: number, enqueue: boolean): Promise<Execution[]> {
    const created: Execution[] = [];
    for (let i = 0; i < count; i += 20) {
      created.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(20, count - i) }, async (_, j) => {
            const execution = await executions.create('record', { n: i + j });
            if (enqueue) await api.enqueue(execution);
            return execution;
          }),
        )),
      );
    }
    return created;
  }

  it('runs 2,000 executions across 3 workers exactly once each, and SIGTERM exits 0', async () => {
    const workers = await Promise.all([worker(), worker(), worker()]);
    const created = await createMany(2000, true);
    const ids = created.map((e) => e.id);
    await until(async () => (await countWhere(['done'], ids)) === 2000, 90_000, '2,000 executions done');
    assert.equal(
      await countWhere(
        ['created', 'started', 'validated', 'running', 'waiting', 'errored', 'cancelled'],
        ids,
      ),
      0,
    );
    const runs = await knex(EFFECTS).whereIn('execution_id', ids).select('execution_id', 'pid');
    assert.equal(runs.length, 2000, 'one side effect per execution');
    assert.equal(new Set(runs.map((r) => r.execution_id)).size, 2000);
    const pids = new Set(runs.map((r) => r.pid));
    for (const w of workers) assert.ok(pids.has(w.pid), `worker ${w.pid} ran some`);
    const codes = await Promise.all(workers.map(terminate));
    assert.deepEqual(codes, [0, 0, 0]);
  });

  it('does executions created while no worker runs once one starts, enqueued or not', async () => {
    const enqueued = await createMany(20, true);
    const lost = await createMany(20, false); // as if the API died between insert and enqueue
    const ids = [...enqueued, ...lost].map((e) => e.id);
    const w = await worker();
    await until(async () => (await countWhere(['done'], ids)) === 40, 30_000, '40 executions done');
    const runs = await knex(EFFECTS).whereIn('execution_id', ids).count({ n: '*' });
    assert.equal(Number((runs[0] as { n: number }).n), 40);
    assert.equal(await terminate(w), 0);
  });

  it('lets another worker finish the execution of a worker killed with SIGKILL, once its heartbeat expired', async () => {
    const env = { TURTLE_HEARTBEAT_TTL_MS: '1500' };
    const first = await worker(env);
    const execution = await executions.create('stall', {});
    await api.enqueue(execution);
    await until(
      async () => (await knex(EFFECTS).where({ execution_id: execution.id, pid: first.pid })).length === 1,
      20_000,
      'first worker started it',
    );
    const killed = once(first, 'exit');
    first.kill('SIGKILL');
    await killed;
    const second = await worker(env);
    await until(
      async () => (await countWhere(['done'], [execution.id])) === 1,
      30_000,
      'taken over and done',
    );
    const result = await executions.get(execution.id);
    assert.equal(result.output, 'attempt 2');
    assert.equal(result.attempts, 2);
    assert.ok(
      result.events.some((e) => e.kind === 'takeover'),
      'the takeover is on the timeline',
    );
    const runs = await knex(EFFECTS).where({ execution_id: execution.id }).select('pid');
    assert.deepEqual(runs.map((r) => r.pid).sort(), [first.pid, second.pid].sort());
    assert.equal(await terminate(second), 0);
  });
});
